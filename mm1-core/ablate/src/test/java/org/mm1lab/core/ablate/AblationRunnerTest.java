package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner with a stand-in for {@code mm1} (a shell script that writes results, or fails), so
 * that resuming, failures and parallel jobs are checked in real child processes in a second.
 */
class AblationRunnerTest {

  @TempDir Path dir;

  private AblationSetup.Prepared prepared() throws IOException {
    Files.writeString(dir.resolve("base.conf"), "mm1 { name = base }\n");
    Path grid = dir.resolve("grid.conf");
    Files.writeString(
        grid,
        "ablation {\n base = base.conf\n axes { \"mm1.model.connector.tokens\" = [4, 9] }\n"
            + " variants { fail-me { \"mm1.train.steps\" = 1 } }\n seeds = [1, 2]\n}\n");
    AblationGrid g = GridReader.read(grid);
    List<Variant> runs = GridExpansion.expand(g);
    AblationFolder folder = new AblationFolder(dir.resolve("out"));
    for (Variant v : runs) {
      Files.createDirectories(folder.variant(v.name()));
      Files.writeString(folder.variantConfig(v.name()), "mm1 {}\n");
    }
    Files.writeString(folder.plan(), AblationPlan.of(g, runs).toJson());
    return new AblationSetup.Prepared(g, runs, folder, AblationPlan.of(g, runs));
  }

  /** A stand-in mm1: counts its starts, fails for fail-me, else writes results. */
  private List<String> fakeMm1() throws IOException {
    Path script = dir.resolve("fake-mm1.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "# called as: fake-mm1.sh run FILE --out DIR",
            "echo \"$4\" >> '" + dir.resolve("starts.txt") + "'",
            "case \"$4\" in *fail-me*) echo 'line one'; echo 'boom: sizes do not fit'; exit 3 ;;"
                + " esac",
            "mkdir -p \"$4/eval\"",
            "echo '{\"run\":\"x\",\"step\":1,\"results\":[{\"task\":\"caption\",\"shots\":0,"
                + "\"metric\":\"CIDEr-D\",\"score\":12.5}]}' > \"$4/eval/results.json\"",
            ""));
    return List.of("/bin/sh", script.toString());
  }

  private List<String> starts() throws IOException {
    Path file = dir.resolve("starts.txt");
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void completeVariantsAreSkippedFailuresReportedAndTheRestRun() throws IOException {
    AblationSetup.Prepared ablation = prepared();
    AblationFolder folder = ablation.folder();
    // Half-finished: one variant already has its results.
    Files.createDirectories(folder.results("tokens-9_seed-1").getParent());
    Files.writeString(
        folder.results("tokens-9_seed-1"), "{\"run\":\"x\",\"step\":1,\"results\":[]}");
    StringWriter text = new StringWriter();

    AblationRunner.Outcome outcome =
        new AblationRunner(
                fakeMm1(),
                2,
                new PrintWriter(text),
                new AblationProvenance("mm1 ablate grid.conf", "0.1.0", "abc1234"))
            .run(ablation);

    List<String> starts = starts();
    assertEquals(5, starts.size(), "6 runs, 1 complete: " + starts);
    assertFalse(starts.stream().anyMatch(s -> s.endsWith("tokens-9_seed-1")), starts.toString());
    assertEquals(3, outcome.ran());
    assertEquals(1, outcome.skipped());
    assertEquals(
        List.of("fail-me_seed-1", "fail-me_seed-2"), outcome.failed().stream().sorted().toList());
    assertFalse(outcome.interrupted());
    String printed = text.toString();
    assertTrue(printed.contains("6 runs, 1 complete, 5 to run, 2 at a time"), printed);
    assertTrue(printed.contains("tokens-4_seed-1 done in"), printed);
    assertTrue(printed.contains("average over tasks 0-shot 12.5"), printed);
    assertTrue(printed.contains("fail-me_seed-1 FAILED after"), printed);
    assertTrue(printed.contains("(exit 3)"), printed);
    assertTrue(printed.contains("    boom: sizes do not fit"), "the end of its log: " + printed);
    assertTrue(Files.readString(folder.log("tokens-4_seed-2")).startsWith("# mm1 ablate: /bin/sh"));

    // The session is recorded: what ran, how each child ended, the machine.
    AblationTiming timing = AblationTiming.read(folder.timing());
    assertEquals(1, timing.sessions().size());
    AblationSession first = timing.sessions().get(0);
    assertTrue(first.finished());
    assertEquals(3, first.ran());
    assertEquals(2, first.failed());
    assertFalse(first.interrupted());
    assertEquals(2, first.jobs());
    assertEquals("mm1 ablate grid.conf", first.provenance().command());
    assertEquals("abc1234", first.provenance().commit());
    assertEquals(Runtime.getRuntime().availableProcessors(), first.machine().cores());
    assertEquals(5, first.children().size());
    assertEquals(
        List.of("done", "done", "done", "failed", "failed"),
        first.children().stream().map(AblationSession.Child::outcome).sorted().toList());
    assertTrue(first.wallSeconds() >= 0 && !first.end().isBefore(first.start()));

    // Run again: only the failed ones are tried, and the new session is added after the first.
    Files.delete(dir.resolve("starts.txt"));
    AblationRunner.Outcome again =
        new AblationRunner(fakeMm1(), 1, new PrintWriter(new StringWriter())).run(ablation);
    assertEquals(2, starts().size(), starts().toString());
    assertEquals(4, again.skipped());
    AblationTiming both = AblationTiming.read(folder.timing());
    assertEquals(2, both.sessions().size());
    assertEquals(first, both.sessions().get(0));
    assertEquals("", both.sessions().get(1).provenance().command(), "no provenance given");
    assertEquals(2, both.sessions().get(1).failed());
    assertEquals(
        first.wallSeconds() + both.sessions().get(1).wallSeconds(), both.totalWallSeconds(), 1e-9);

    // An unreadable record is left as it is, and the session says it is not recorded.
    Files.writeString(folder.timing(), "{ not json");
    StringWriter third = new StringWriter();
    new AblationRunner(fakeMm1(), 1, new PrintWriter(third)).run(ablation);
    assertEquals("{ not json", Files.readString(folder.timing()));
    assertTrue(third.toString().contains("the session's time is not recorded: "), third.toString());
  }
}
