package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real CLI in child processes: a tiny clip-vit is pretrained once as an encoder
 * stage shared by two variants, both runs load it, and a second call starts nothing.
 */
class AblateStagesTest {

  @TempDir Path dir;

  private static long childRuns(Path log) throws java.io.IOException {
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.startsWith("# mm1 ablate: ")).count()
        : 0;
  }

  @Test
  void aTinyStageIsPretrainedOnceAndBothVariantsLoadIt() throws Exception {
    Files.writeString(dir.resolve("tiny.conf"), AblateCommandTest.TINY_BASE);
    Path grid = dir.resolve("grid.conf");
    Files.writeString(
        grid,
        String.join(
            "\n",
            "ablation {",
            "  name = tiny-stages",
            "  base = tiny.conf",
            "  set {",
            "    \"mm1.model.encoder.embed-dim\" = 16",
            "    \"mm1.model.encoder.text-width\" = 16",
            "    \"mm1.model.encoder.text-layers\" = 1",
            "    \"mm1.train.freeze\" = [encoder]",
            "  }",
            "  pretrain { settings { steps = 3, batch-size = 4, log-every = 1 } }",
            "  axes { \"mm1.model.connector.tokens\" = [1, 4] }",
            "}"));
    Path out = dir.resolve("out");
    Mm1Cli.Result first = Mm1Cli.mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(0, first.status(), first.out() + first.err());
    String printed = first.out();
    assertTrue(printed.contains("2 runs, 0 complete, 2 to run; 1 encoder stages"), printed);
    assertTrue(
        printed.contains("work: 2 runs, 8 training steps; 1 encoder stages, 3 pretraining"),
        printed);
    assertTrue(printed.contains("wall time "), printed);

    Path stages = out.resolve("stages");
    List<Path> folders;
    try (var list = Files.list(stages)) {
      folders = list.toList();
    }
    assertEquals(1, folders.size(), folders.toString());
    Path stage = folders.get(0);
    assertTrue(
        stage.getFileName().toString().startsWith("clip-vit_32px_w32_captioned_"),
        stage.toString());
    for (String file :
        List.of("encoder.safetensors", "encoder.json", "metrics.jsonl", "run.conf")) {
      assertTrue(Files.isRegularFile(stage.resolve("encoder").resolve(file)), file);
    }
    assertTrue(Files.isRegularFile(stage.resolve("stage.done")));
    assertEquals(1, childRuns(stage.resolve("log.txt")));
    for (String variant : List.of("tokens-1", "tokens-4")) {
      Path run = out.resolve("variants").resolve(variant);
      assertTrue(Files.isRegularFile(run.resolve("eval/results.json")), variant);
      // The run's resolved configuration loads the stage's encoder.
      assertTrue(
          Files.readString(run.resolve("run.conf"))
              .contains(stage.resolve("encoder/encoder.safetensors").toAbsolutePath().toString()),
          variant);
    }
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("## Encoder pretraining stages"), md);
    assertTrue(md.contains("| tokens-1, tokens-4 |"), md);

    Mm1Cli.Result second = Mm1Cli.mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(0, second.status(), second.err());
    assertTrue(
        second.out().contains("2 runs, 2 complete, 0 to run; 1 encoder stages, 1 complete"),
        second.out());
    assertEquals(1, childRuns(stage.resolve("log.txt")), "the stage is not run again");
  }
}
