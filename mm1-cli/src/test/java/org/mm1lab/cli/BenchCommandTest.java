package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm1 bench --quick} runs in-process and reports every figure. It checks that the figures
 * exist, never what they are: benchmarks are not tests, and this machine's speed is nobody's
 * assertion.
 */
class BenchCommandTest {

  @TempDir Path dir;

  @Test
  void quickBenchPrintsEveryFigureAndWritesJsonWithMfu() throws Exception {
    Path json = dir.resolve("bench.json");
    Path plot = dir.resolve("scaling.png");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            new String[] {
              "bench",
              "--quick",
              "--scaling",
              "--matmul-size",
              "128",
              "--json",
              json.toString(),
              "--plot",
              plot.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
    for (String figure :
        List.of(
            "matmul peak",
            "matmul peak float16",
            "training step",
            "tokens/s",
            "model FLOPs per step",
            "model FLOP/s",
            "MFU",
            "time split",
            "forward",
            "backward",
            "optimizer",
            "generation, cached",
            "generation, uncached",
            "data pipeline",
            "trainer consumes",
            "resident memory",
            "peak resident memory",
            "target: mfu",
            "target: memory-flat",
            "target: pipeline-headroom",
            "target: cache-speedup")) {
      assertTrue(text.contains(figure), "no '" + figure + "' in:\n" + text);
    }
    for (String dimension : List.of("batch-size", "seq-len", "image-size", "image-tokens")) {
      assertTrue(
          text.contains("\n" + dimension + " "), "no scaling row for " + dimension + ":\n" + text);
    }
    JsonObject figures = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertTrue(figures.get("mfu").getAsJsonPrimitive().isNumber(), figures.toString());
    // --matmul-size sets both peaks' side; a CPU keeps float16 at this side, below its cap of 512
    assertEquals(128, figures.get("matmul-size").getAsInt(), figures.toString());
    assertEquals(128, figures.get("matmul-fp16-size").getAsInt(), figures.toString());
    assertTrue(figures.get("matmul-peak-fp16-flops").getAsDouble() > 0, figures.toString());
    assertTrue(figures.getAsJsonObject("scaling").has("batch-size"), figures.toString());
    assertTrue(Files.size(plot) > 0);
  }

  @Test
  void contendedBenchComparesWithIdleAndLeavesNoCompetitorBehind() throws Exception {
    Path json = dir.resolve("contended.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            new String[] {"bench", "--quick", "--contend", "1", "--json", json.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
    for (String figure :
        List.of(
            "compute thread",
            "contended training: 1 competing process (pid [",
            "contention stopped",
            "contended step",
            "contended MFU",
            "target: contended-speed")) {
      assertTrue(text.contains(figure), "no '" + figure + "' in:\n" + text);
    }
    Matcher pid = Pattern.compile("\\(pid \\[(\\d+)\\]\\)").matcher(text);
    assertTrue(pid.find(), text);
    Optional<ProcessHandle> competitor = ProcessHandle.of(Long.parseLong(pid.group(1)));
    assertTrue(competitor.isEmpty() || !competitor.get().isAlive(), "the competitor outlived it");
    JsonObject contended =
        JsonParser.parseString(Files.readString(json))
            .getAsJsonObject()
            .getAsJsonObject("contended");
    assertEquals(1, contended.get("processes").getAsInt(), contended.toString());
    assertTrue(contended.get("speed-of-idle").getAsDouble() > 0, contended.toString());
    assertTrue(contended.get("threads").getAsInt() >= 1, contended.toString());
  }
}
