package org.mm1lab.core.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.layout.RunLayout.Checkpoint;

/** The on-disk names runs written before must still be found under. */
class RunLayoutTest {

  @Test
  void aRunFolderHoldsItsFilesWhereTheReadmeSays() {
    RunLayout run = new RunLayout(Path.of("runs", "quickstart"));
    assertEquals(Path.of("runs/quickstart/run.conf"), run.config());
    assertEquals(Path.of("runs/quickstart/metrics.jsonl"), run.metrics());
    assertEquals(Path.of("runs/quickstart/checkpoints"), run.checkpoints());
    assertEquals(Path.of("runs/quickstart/eval/results.json"), run.evalResults());
    assertEquals(Path.of("runs/quickstart/eval/examples.json"), run.evalExamples());
    assertEquals(Path.of("runs/quickstart/report/index.html"), run.reportPage());
    assertEquals(Path.of("runs/quickstart/report.md"), run.summary());
    assertEquals("eval/results.json", RunLayout.EVAL_RESULTS);
  }

  @Test
  void pathsKeepTheRootAsGiven() {
    assertEquals(Path.of("x/run.conf"), new RunLayout(Path.of("x")).config());
  }

  @Test
  void checkpointFoldersAreNamedByStepAndSortByIt() {
    assertEquals("step-00000007", Checkpoint.folder(7));
    List<String> names = Stream.of(100, 7, 20).map(Checkpoint::folder).sorted().toList();
    assertEquals(List.of("step-00000007", "step-00000020", "step-00000100"), names);
    assertTrue(Checkpoint.isFolder("step-00000100"));
    assertFalse(Checkpoint.isFolder(".tmp-step-00000100-123"));
    assertFalse(Checkpoint.isFolder("step-100"));
  }

  @Test
  void defaultFoldersLieUnderRuns() {
    assertEquals(Path.of("runs/quickstart"), RunLayout.defaultFolder("quickstart"));
    assertEquals(
        Path.of("runs/quickstart-encoder"), RunLayout.Pretraining.defaultFolder("quickstart"));
    assertEquals(
        Path.of("runs/ablations/connectors"), RunLayout.Ablation.defaultFolder("connectors"));
  }
}
