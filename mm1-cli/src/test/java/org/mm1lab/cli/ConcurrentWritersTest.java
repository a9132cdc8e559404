package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * Two writers on one run folder with the real engine: a training in another process holds the
 * folder's lock, so a second {@code mm1 train} and an {@code mm1 eval} into the folder are refused
 * with one line naming that process, while a reader ({@code mm1 ask}) goes on; the first training's
 * files are complete when it stops.
 */
class ConcurrentWritersTest {

  @TempDir Path dir;

  @Test
  void aSecondWriterIsRefusedNamingTheHolderAndTheFirstRunsFilesAreComplete() throws Exception {
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(
        runFile,
        InterruptTest.TINY_RUN.replace(
            "checkpoint-every = 4", "checkpoint-every = 2, keep-checkpoints = 1000"));
    Path run = dir.resolve("run");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dai.djl.offline=true");
    command.add(Main.class.getName());
    command.addAll(List.of("train", runFile.toString(), "--out", run.toString()));
    Process first =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.isDirectory(run.resolve("checkpoints/step-00000002"))) {
        if (!first.isAlive()) {
          fail("training ended early: " + Files.readString(dir.resolve("stderr")));
        }
        assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
        Thread.sleep(100);
      }

      Result second = mm1("train", runFile.toString(), "--out", run.toString());
      assertEquals(2, second.status(), second.err());
      assertEquals(1, second.errLines().size(), second.err());
      assertTrue(
          second.err().startsWith("mm1: error: " + run + " is in use by process " + first.pid()),
          second.err());
      assertTrue(second.err().contains("mm1 train"), second.err());

      Result eval = mm1("eval", run.toString());
      assertEquals(2, eval.status(), eval.err());
      assertEquals(1, eval.errLines().size(), eval.err());
      assertTrue(eval.err().contains("in use by process " + first.pid()), eval.err());

      // A reader does not take the lock (the checkpoints are kept, so that the one it reads is not
      // pruned meanwhile).
      BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      Path png = dir.resolve("new.png");
      ImageIO.write(image, "png", png.toFile());
      Result ask = mm1("ask", run.toString(), png.toString(), "what colour is it?");
      assertEquals(0, ask.status(), ask.err());
    } finally {
      first.destroy(); // SIGTERM: a checkpoint at the step it stops
      assertTrue(first.waitFor(60, TimeUnit.SECONDS), "stopped after SIGTERM");
    }
    assertEquals(143, first.exitValue(), "the exit status of a stop by SIGTERM");
    String printed = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
    Matcher stopped = Pattern.compile("stopped at step (\\d+)").matcher(printed);
    assertTrue(stopped.find(), printed);
    int step = Integer.parseInt(stopped.group(1));
    // Every step logged once, in the one metrics file, and the checkpoint of the stop is whole.
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(step, lines.size(), String.join("\n", lines));
    for (int i = 0; i < step; i++) {
      assertTrue(lines.get(i).startsWith("{\"step\":" + (i + 1) + ","), lines.get(i));
    }
    Path last = run.resolve(String.format("checkpoints/step-%08d", step));
    for (String file : List.of("model.safetensors", "optimizer.safetensors", "state.json")) {
      assertTrue(Files.isRegularFile(last.resolve(file)), last + "/" + file);
    }
    assertFalse(Files.exists(run.resolve(".mm1.lock")), "no lock file after the writer ends");
    // The folder is free again: training continues from that checkpoint.
    Result more =
        mm1(
            "train",
            runFile.toString(),
            "--out",
            run.toString(),
            "--set",
            "mm1.train.steps=" + (step + 1));
    assertEquals(0, more.status(), more.err());
    assertTrue(more.out().contains("resuming from " + last.toAbsolutePath()), more.out());
  }
}
