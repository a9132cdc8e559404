package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate: from measured seconds per step only, saying what it leaves out. */
class AblationEstimateTest {

  @TempDir Path dir;

  @Test
  void aLowerBoundUntilEveryKindIsMeasuredThenTheWholeWork() throws IOException {
    AblationFolder folder = new AblationFolder(dir);
    AblationPlan plan =
        new AblationPlan(
            "e",
            "",
            "grid.conf",
            "base.conf",
            List.of(),
            List.of(),
            "a",
            List.of(
                new AblationPlan.Run("a", "a", null, Map.of(), List.of(), "s"),
                new AblationPlan.Run("b", "b", null, Map.of(), List.of(), "s")),
            List.of(new AblationPlan.Stage("s", "h", 7, 100, "vecap", List.of(), List.of("a"))));
    for (String run : List.of("a", "b")) {
      Files.createDirectories(folder.variant(run));
      Files.writeString(folder.variantConfig(run), "mm1.train.steps = 200\n");
    }
    AblationEstimate estimate =
        new AblationEstimate(folder, plan, 1, List.of("a", "b"), List.of("s"));
    String before = estimate.before();
    assertTrue(
        before.startsWith(
            "work: 2 runs, 400 training steps; 1 encoder stages, 100 pretraining steps;"
                + " estimate: once the first steps are measured"),
        before);
    assertEquals(Optional.empty(), estimate.update());

    // The stage has logged 50 of its 100 steps at 0.5 s/step (elapsed 5 s at step 10, 25 s at 50).
    Files.createDirectories(folder.stagePartial("s"));
    Files.writeString(
        folder.stagePartial("s").resolve("metrics.jsonl"),
        "{\"step\":10,\"loss\":3.0,\"elapsed-s\":5.0}\n{\"step\":50,\"loss\":2.0,\"elapsed-s\":25.0}\n");
    String partial = estimate.update().orElseThrow();
    assertTrue(
        partial.startsWith(
            "estimate: at least 25s left (stages 0.500 s/step measured on s (50" + " steps)"),
        partial);
    assertTrue(partial.contains("runs not yet measured (not included)"), partial);
    assertEquals(Optional.empty(), estimate.update(), "nothing new measured");
    assertEquals(Optional.empty(), estimate.first());

    // Run a has logged 100 of its 200 steps at 0.2 s/step.
    Files.writeString(
        folder.metrics("a"),
        "{\"step\":50,\"loss\":3.0,\"elapsed-s\":10.0}\n{\"step\":100,\"loss\":2.0,\"elapsed-s\":20.0}\n");
    String whole = estimate.update().orElseThrow();
    // 50 stage steps x 0.5 s + (100 + 200) run steps x 0.2 s = 85 s
    assertTrue(
        whole.startsWith(
            "estimate: about 1m25s left (runs 0.200 s/step measured on a (100"
                + " steps); start-up and evaluation not yet measured (not included)"),
        whole);
    assertEquals(Optional.of("1m25s"), estimate.first());

    // The stage finished after 60 s, of which 50 s were its steps: 10 s start-up.
    Files.createDirectories(folder.stageOutput("s"));
    Files.move(folder.stagePartial("s").resolve("metrics.jsonl"), folder.stageMetrics("s"));
    estimate.finished(true, "s", 60);
    String after = estimate.update().orElseThrow();
    assertTrue(after.startsWith("estimate: about 1m00s left"), after);
  }
}
