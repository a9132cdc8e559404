package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm1 train} in a real process, stopped by SIGTERM (a checkpoint at the step it stopped) and
 * killed by SIGKILL (the newest checkpoint still loads and training resumes from it).
 */
class InterruptTest {

  /** A tiny model over the built-in plugins that trains for a long time unless stopped. */
  static final String TINY_RUN =
      String.join(
          "\n",
          "mm1 {",
          "  name = tiny",
          "  model {",
          "    encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 32, layers = 1, heads = 2 }",
          "    connector { type = avg-pool, tokens = 4 }",
          "    decoder { type = dense, width = 32, layers = 1, heads = 2, kv-heads = 2, ffn = 64 }",
          "  }",
          "  data.mix { type = weighted, sources { captioned = 1, text = 1 } }",
          "  train { steps = 100000, batch-size = 2, seq-len = 48, warmup = 2, log-every = 1, checkpoint-every = 4 }",
          "}",
          "");

  @TempDir Path dir;

  private Process start(Path runFile, Path out) throws IOException {
    long stamp = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dai.djl.offline=true");
    command.add(Main.class.getName());
    command.addAll(List.of("train", runFile.toString(), "--out", out.toString()));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout-" + stamp).toFile())
        .redirectError(dir.resolve("stderr-" + stamp).toFile())
        .start();
  }

  private static int loggedSteps(Path run) throws IOException {
    Path metrics = run.resolve("metrics.jsonl");
    return Files.exists(metrics) ? Files.readAllLines(metrics).size() : 0;
  }

  private void awaitSteps(Process process, Path run, int steps) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (loggedSteps(run) < steps) {
      if (!process.isAlive()) {
        fail("training ended early (exit " + process.exitValue() + "):\n" + printed("std"));
      }
      assertTrue(System.nanoTime() < deadline, "no progress within 120 s");
      Thread.sleep(100);
    }
  }

  private static List<Integer> checkpointSteps(Path run) throws IOException {
    try (Stream<Path> folders = Files.list(run.resolve("checkpoints"))) {
      return folders
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("step-[0-9]{8}"))
          .map(n -> Integer.parseInt(n.substring(5)))
          .sorted()
          .toList();
    }
  }

  @Test
  void sigtermCheckpointsTheCurrentStepAndSigkillLeavesALoadableOne() throws Exception {
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(runFile, TINY_RUN);
    Path run = dir.resolve("run");

    Process first = start(runFile, run);
    awaitSteps(first, run, 6);
    first.destroy(); // SIGTERM
    assertTrue(first.waitFor(60, TimeUnit.SECONDS), "stopped after SIGTERM");
    String printed = printed("stdout-");
    Matcher stopped = Pattern.compile("stopped at step (\\d+)").matcher(printed);
    assertTrue(stopped.find(), printed);
    int stopStep = Integer.parseInt(stopped.group(1));
    List<Integer> kept = checkpointSteps(run);
    assertEquals(
        stopStep, kept.get(kept.size() - 1), "a checkpoint at the step it stopped: " + kept);
    // the report is refreshed before the JVM exits: its plots are written during shutdown
    assertTrue(printed.contains("report: "), printed);
    assertTrue(Files.size(run.resolve("report").resolve("loss.png")) > 0, "the loss plot");
    assertTrue(Files.isRegularFile(run.resolve("report").resolve("index.html")), "the page");
    String errors = printed("stderr-");
    assertTrue(!errors.contains("mm1:"), "no error after SIGTERM: " + errors);

    Process second = start(runFile, run);
    awaitSteps(second, run, stopStep + 9);
    second.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(second.waitFor(60, TimeUnit.SECONDS));
    int newest = checkpointSteps(run).get(checkpointSteps(run).size() - 1);
    assertTrue(newest > stopStep, "the second process checkpointed after resuming: " + newest);

    // The newest complete checkpoint loads: training resumes from it to a nearby end, in-process.
    int target = newest + 2;
    var result =
        new org.mm1lab.core.run.RunTraining(
                new org.mm1lab.core.assembly.Assembly(InterruptTest.class.getClassLoader()),
                new java.io.PrintWriter(
                    java.io.OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                false)
            .train(runFile, List.of("mm1.train.steps=" + target), run);
    assertEquals(target, result.outcome().step());
  }

  private String printed(String prefix) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        all.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }
}
