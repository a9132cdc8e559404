package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.ablate.AblationSession;
import org.mm1lab.core.ablate.AblationTiming;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.run.RunTraining;

/**
 * A half-finished ablation resumed by {@code mm1 ablate} with real child processes of the real CLI:
 * the complete variant is skipped, the half-trained one resumes from its checkpoint, the untouched
 * one runs, and a second call starts nothing.
 */
class AblateResumeTest {

  @TempDir Path dir;

  private static long childRuns(Path log) throws java.io.IOException {
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.startsWith("# mm1 ablate: ")).count()
        : 0;
  }

  @Test
  void completeVariantsAreSkippedAndUnfinishedOnesResume() throws Exception {
    Files.writeString(dir.resolve("tiny.conf"), AblateCommandTest.TINY_BASE);
    Path grid = dir.resolve("grid.conf");
    Files.writeString(
        grid,
        String.join(
            "\n",
            "ablation {",
            "  name = resume",
            "  base = tiny.conf",
            "  axes { \"mm1.model.connector.tokens\" = [1, 4] }",
            "  variants { attention { \"mm1.model.connector\" = { type = attention-pool, tokens ="
                + " 4, heads = 2 } } }",
            "}"));
    Path out = dir.resolve("out");
    Path variants = out.resolve("variants");
    // Prepare the folder without running anything (as for a cluster), then make it half-finished.
    Mm1Cli.Result emitted =
        Mm1Cli.mm1("ablate", grid.toString(), "--emit", "slurm", out.toString());
    assertEquals(0, emitted.status(), emitted.err());
    Path done = variants.resolve("tokens-1");
    Files.createDirectories(done.resolve("eval"));
    Files.writeString(
        done.resolve("eval/results.json"),
        "{\"run\":\"tokens-1\",\"step\":4,\"results\":[{\"task\":\"caption\",\"shots\":0,"
            + "\"metric\":\"CIDEr-D\",\"score\":7.0},{\"task\":\"vqa\",\"shots\":0,"
            + "\"metric\":\"VQA accuracy\",\"score\":3.0}]}");
    Path half = variants.resolve("tokens-4");
    new RunTraining(
            new Assembly(AblateResumeTest.class.getClassLoader()),
            new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
            false)
        .train(half.resolve("variant.conf"), List.of("mm1.train.steps=2"), half);
    assertTrue(Files.isDirectory(half.resolve("checkpoints/step-00000002")));

    Mm1Cli.Result first = Mm1Cli.mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(0, first.status(), first.out() + first.err());
    assertTrue(first.out().contains("3 runs, 1 complete, 2 to run"), first.out());
    assertEquals(0, childRuns(done.resolve("log.txt")), "the complete variant is not run");
    assertEquals(1, childRuns(half.resolve("log.txt")));
    assertEquals(1, childRuns(variants.resolve("attention/log.txt")));
    assertTrue(
        Files.readString(half.resolve("log.txt")).contains("(step 2)"),
        "resumed from its checkpoint");
    for (String name : List.of("tokens-4", "attention")) {
      assertTrue(Files.isRegularFile(variants.resolve(name).resolve("eval/results.json")), name);
    }
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("None: every run has its results."), md);
    assertTrue(md.contains("| **tokens-1 (baseline)** | **1** | **1 of 1** |"), md);

    // The session's record names the command as typed and the release that ran it.
    AblationTiming timing = AblationTiming.read(out.resolve("timing.json"));
    assertEquals(1, timing.sessions().size());
    AblationSession session = timing.sessions().get(0);
    assertEquals("mm1 ablate " + grid + " --out " + out, session.provenance().command());
    assertEquals(VersionProvider.release(), session.provenance().version());
    assertEquals(2, session.ran());
    assertTrue(session.finished());

    Mm1Cli.Result second = Mm1Cli.mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(0, second.status(), second.err());
    assertTrue(second.out().contains("3 runs, 3 complete, 0 to run"), second.out());
    assertEquals(1, childRuns(half.resolve("log.txt")), "nothing started again");
    assertFalse(Files.exists(done.resolve("log.txt")));
    assertEquals(
        timing, AblationTiming.read(out.resolve("timing.json")), "a session with nothing to run");
  }
}
