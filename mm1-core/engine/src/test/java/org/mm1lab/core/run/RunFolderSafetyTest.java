package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;

/**
 * A run folder under concurrent writers and after faults: one writer at a time, refusals that leave
 * every byte as it was, damaged or incomplete newest checkpoints named rather than skipped, and the
 * temporary folders of dead writers removed.
 */
class RunFolderSafetyTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(RunFolderSafetyTest.class.getClassLoader());
  private final StringWriter console = new StringWriter();

  private RunTraining.Result train(Path out, StopSignal stop, Resume resume, String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "mm1.data.mix.order=[captioned, text, interleaved]",
                "mm1.train.log-every=1",
                "mm1.train.checkpoint-every=2",
                "mm1.train.keep-checkpoints=3"));
    all.addAll(List.of(overrides));
    Path runFile = RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN);
    return new RunTraining(assembly, new PrintWriter(console, true), false)
        .train(runFile, all, out, stop, resume);
  }

  private RunTraining.Result train(Path out, String... overrides) {
    return train(out, StopSignal.manual(), Resume.NEWEST, overrides);
  }

  /** Every file under {@code root} by relative path, with its bytes as text. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        String name = root.relativize(p).toString();
        files.put(
            name,
            Files.isDirectory(p)
                ? "<dir>"
                : java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return files;
  }

  private static List<String> checkpointNames(Path run) throws IOException {
    try (Stream<Path> folders = Files.list(run.resolve("checkpoints"))) {
      return folders.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int metricLines(Path run) throws IOException {
    Path metrics = run.resolve("metrics.jsonl");
    return Files.exists(metrics) ? Files.readAllLines(metrics).size() : 0;
  }

  @Test
  void aSecondTrainingOnTheFolderIsRefusedAndTheFirstCompletes() throws Exception {
    Path run = dir.resolve("run");
    StopSignal stop = StopSignal.manual();
    CompletableFuture<RunTraining.Result> first =
        CompletableFuture.supplyAsync(
            () -> train(run, stop, Resume.NEWEST, "mm1.train.steps=100000"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (metricLines(run) < 3) {
      assertFalse(first.isDone(), "the first training ended early");
      assertTrue(System.nanoTime() < deadline, "no progress within 120 s");
      Thread.sleep(20);
    }
    UserException refused =
        assertThrows(UserException.class, () -> train(run, "mm1.train.steps=100000"));
    assertEquals(1, refused.problems().size());
    assertTrue(
        refused.getMessage().contains("in use by process " + ProcessHandle.current().pid()),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("mm1 train"), refused.getMessage());

    stop.request();
    RunTraining.Result result = first.get(120, TimeUnit.SECONDS);
    int step = result.outcome().step();
    assertTrue(result.outcome().interrupted());
    // The first writer's files are whole: one metrics line per step, its checkpoint at the stop.
    assertEquals(step, metricLines(run));
    assertTrue(checkpointNames(run).contains(String.format("step-%08d", step)));
    assertFalse(Files.exists(run.resolve(".mm1.lock")), "the lock file is gone with its writer");
    // Released: the folder trains on.
    assertEquals(step + 1, train(run, "mm1.train.steps=" + (step + 1)).outcome().step());
  }

  @Test
  void aDamagedNewestCheckpointIsRefusedWithTheFolderUnchangedThenSetAside() throws Exception {
    Path run = dir.resolve("run");
    train(run, "mm1.train.steps=4");
    Path newest = run.resolve("checkpoints/step-00000004");
    Path model = newest.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length - 3] ^= 0x5a;
    Files.write(model, bytes);
    Map<String, String> before = snapshot(run);

    // Longer, so that run.conf would change if it were written before the check.
    UserException e = assertThrows(UserException.class, () -> train(run, "mm1.train.steps=6"));
    assertEquals(
        "checkpoint "
            + newest
            + " cannot be used: model.safetensors does not match its checksum; continue from the"
            + " newest intact one with --from-checkpoint 2, or start over with --restart (either"
            + " moves it aside into set-aside/, deleting nothing)",
        e.getMessage());
    assertEquals(before, snapshot(run));

    RunTraining.Result resumed =
        train(run, StopSignal.manual(), Resume.from(2), "mm1.train.steps=6");
    assertEquals(6, resumed.outcome().step());
    assertTrue(
        console.toString().contains("resuming from " + run.resolve("checkpoints/step-00000002")));
    try (Stream<Path> aside = Files.list(run.resolve("set-aside"))) {
      Path moved = aside.findFirst().orElseThrow();
      assertEquals(
          before.get("checkpoints/step-00000004/model.safetensors"),
          java.util.HexFormat.of()
              .formatHex(
                  Files.readAllBytes(moved.resolve("checkpoints/step-00000004/model.safetensors"))),
          "the damaged checkpoint is kept aside as it was");
      assertEquals(
          before.get("metrics.jsonl"),
          java.util.HexFormat.of().formatHex(Files.readAllBytes(moved.resolve("metrics.jsonl"))));
    }
  }

  @Test
  void anIncompleteNewestCheckpointIsNamedNotSkippedAndRestartKeepsItAside() throws Exception {
    Path run = dir.resolve("run");
    train(run, "mm1.train.steps=4");
    Path newest = run.resolve("checkpoints/step-00000004");
    Files.delete(newest.resolve("state.json"));
    Map<String, String> before = snapshot(run);

    UserException e = assertThrows(UserException.class, () -> train(run, "mm1.train.steps=4"));
    assertTrue(
        e.getMessage().startsWith("checkpoint " + newest + " cannot be used: it has no state.json"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--from-checkpoint 2"), e.getMessage());
    assertEquals(before, snapshot(run));

    UserException missing =
        assertThrows(
            UserException.class,
            () -> train(run, StopSignal.manual(), Resume.from(3), "mm1.train.steps=4"));
    assertTrue(
        missing.getMessage().contains("has no step-00000003 (it holds steps [2, 4])"),
        missing.getMessage());
    assertEquals(before, snapshot(run));

    RunTraining.Result restarted =
        train(run, StopSignal.manual(), Resume.RESTART, "mm1.train.steps=4");
    assertEquals(4, restarted.outcome().step());
    assertEquals(4, metricLines(run), "a new log from step 1");
    assertTrue(console.toString().contains("set aside 2 checkpoint(s)"), console.toString());
    try (Stream<Path> aside = Files.list(run.resolve("set-aside"))) {
      Path moved = aside.findFirst().orElseThrow();
      assertTrue(Files.isRegularFile(moved.resolve("checkpoints/step-00000004/model.safetensors")));
      assertTrue(Files.isRegularFile(moved.resolve("checkpoints/step-00000002/state.json")));
    }
  }

  @Test
  void temporaryCheckpointsOfDeadWritersAreRemovedAndCounted() throws Exception {
    Path run = dir.resolve("run");
    train(run, "mm1.train.steps=2");
    for (String name : List.of(".tmp-step-00000003-99991", ".tmp-step-00000004-99992")) {
      Path temporary = Files.createDirectories(run.resolve("checkpoints").resolve(name));
      Files.write(temporary.resolve("model.safetensors"), new byte[] {1, 2, 3});
    }
    train(run, "mm1.train.steps=3");
    assertTrue(
        console.toString().contains("removed 2 unfinished checkpoint folder(s)"),
        console.toString());
    assertEquals(List.of("step-00000002", "step-00000003"), checkpointNames(run));
  }

  @Test
  void aRunThatCannotStartLeavesNoFolderAndNoRunConf() throws Exception {
    Path fresh = dir.resolve("fresh");
    UserException e =
        assertThrows(
            UserException.class, () -> train(fresh, "mm1.train.steps=2", "mm1.device=gpu:7"));
    assertTrue(e.getMessage().contains("mm1.device"), e.getMessage());
    assertFalse(Files.exists(fresh), "no folder is left behind");

    // An existing run keeps its run.conf as it was; the corrected command then trains.
    Path run = dir.resolve("run");
    train(run, "mm1.train.steps=2");
    Map<String, String> before = snapshot(run);
    assertThrows(UserException.class, () -> train(run, "mm1.train.steps=3", "mm1.device=gpu:7"));
    assertEquals(before, snapshot(run));
    assertEquals(3, train(run, "mm1.train.steps=3").outcome().step());
    assertTrue(
        Files.readString(run.resolve("run.conf"), StandardCharsets.UTF_8).contains("steps = 3")
            || Files.readString(run.resolve("run.conf"), StandardCharsets.UTF_8)
                .contains("steps=3"));
  }
}
