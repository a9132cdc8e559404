package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/gpu-check/run.sh}, the one-command GPU check, run here on the CPU with tiny step
 * counts and a tiny model: every leg runs its real mm1 command (through this build's classes) and
 * its real checks, and the summary and results say so; asked for a GPU that this machine does not
 * have, every leg fails loudly instead of training on the CPU; bad settings are one line. The
 * scripts are also linted by shellcheck where it is installed.
 */
class GpuCheckScriptTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path RUN = REPOSITORY.resolve("tools/gpu-check/run.sh");
  private static final List<String> LEGS =
      List.of(
          "version", "train-fp32", "eval-fp32", "bench", "train-fp16-mixed", "pretrain-encoder");

  @TempDir Path dir;

  private Path mm1;
  private Path runFile;

  private record Finished(int status, String output) {}

  /** An mm1 command that runs this build's classes, as ./mm1 runs the packaged jars. */
  @BeforeEach
  void commandAndRunFile() throws IOException {
    mm1 = dir.resolve("mm1");
    Files.writeString(
        mm1,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "exec "
                + quoted(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                + " -cp "
                + quoted(System.getProperty("java.class.path"))
                + " -Dai.djl.offline=true "
                + Main.class.getName()
                + " \"$@\"",
            ""));
    Files.setPosixFilePermissions(mm1, PosixFilePermissions.fromString("rwxr-xr-x"));
    runFile = dir.resolve("tiny.conf");
    Files.writeString(runFile, InterruptTest.TINY_RUN);
  }

  private static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private Finished check(Path out, Map<String, String> settings)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", RUN.toString(), out.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("MM1_") || k.startsWith("PYTORCH_"));
    builder.environment().put("MM1_CHECK_MM1", mm1.toString());
    builder.environment().putAll(settings);
    Process p = builder.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), output);
    return new Finished(p.exitValue(), output);
  }

  /** The tiny rehearsal: every leg, a few steps each, on the CPU. */
  private Map<String, String> tiny() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MM1_CHECK_DEVICE", "cpu");
    settings.put("MM1_CHECK_TRAIN_CONF", runFile.toString());
    settings.put("MM1_CHECK_PRETRAIN_CONF", runFile.toString());
    settings.put("MM1_CHECK_STEPS", "4");
    settings.put("MM1_CHECK_TRAIN_SET", "mm1.train.lr=1e-2 mm1.train.checkpoint-every=4");
    settings.put("MM1_CHECK_PRETRAIN_STEPS", "4");
    settings.put("MM1_CHECK_EVAL_ARGS", "--limit 2 --shots 0 --tasks caption");
    settings.put("MM1_CHECK_BENCH_CONF", "quick");
    settings.put("MM1_CHECK_BENCH_ARGS", "--warmup 1 --steps 1 --memory-steps 0 --matmul-size 64");
    settings.put("MM1_CHECK_BUDGET", "600");
    return settings;
  }

  @Test
  void theRehearsalRunsEveryLegAndSummarisesThem() throws Exception {
    Path out = dir.resolve("check");
    Finished finished = check(out, tiny());
    assertEquals(0, finished.status(), finished.output());

    JsonObject results =
        JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertTrue(results.get("passed").getAsBoolean(), results.toString());
    assertEquals("cpu", results.get("device").getAsString());
    assertTrue(
        results.get("engine").getAsString().startsWith("engine PyTorch "), results.toString());
    JsonArray legs = results.getAsJsonArray("legs");
    List<String> names = new ArrayList<>();
    for (JsonElement element : legs) {
      JsonObject leg = element.getAsJsonObject();
      String name = leg.get("name").getAsString();
      names.add(name);
      String status = leg.get("status").getAsString();
      // fp16-mixed runs where this build has mm1.train.precision, and is skipped, saying so, where
      // not
      if (status.equals("skipped")) {
        assertEquals("train-fp16-mixed", name, leg.toString());
        assertTrue(leg.get("notes").getAsString().contains("mm1.train.precision"), leg.toString());
        assertTrue(leg.get("seconds").isJsonNull(), leg.toString());
      } else {
        assertEquals("passed", status, leg.toString());
        assertTrue(leg.get("seconds").getAsDouble() > 0, leg.toString());
        assertTrue(Files.size(out.resolve(name + ".log")) > 0, name);
      }
      // no GPU here: no samples, no peak
      assertTrue(leg.get("peak-device-memory-mib").isJsonNull(), leg.toString());
    }
    assertEquals(LEGS, names);
    String notes = legs.toString();
    assertTrue(notes.contains("loss "), notes);
    assertTrue(notes.contains("float16"), notes);
    assertTrue(notes.contains("caption 0-shot"), notes);

    String summary = Files.readString(out.resolve("summary.md"));
    for (String name : LEGS) {
      assertTrue(summary.contains("| " + name + " | "), summary);
    }
    assertTrue(summary.contains("- verdict: **"), summary);
    for (String written :
        List.of(
            "env.txt",
            "runs/fp32/metrics.jsonl",
            "eval-fp32/results.json",
            "bench.json",
            "runs/pretrain/encoder.safetensors")) {
      assertTrue(Files.exists(out.resolve(written)), written);
    }
  }

  @Test
  void askedForAGpuThisMachineLacksEveryLegFailsLoudly() throws Exception {
    Map<String, String> settings = tiny();
    settings.put("MM1_CHECK_DEVICE", "gpu");
    settings.put("MM1_CHECK_LEGS", "version,train-fp32");
    Path out = dir.resolve("no-gpu");
    Finished finished = check(out, settings);
    assertEquals(1, finished.status(), finished.output());
    JsonObject results =
        JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertTrue(!results.get("passed").getAsBoolean(), results.toString());
    JsonArray legs = results.getAsJsonArray("legs");
    assertEquals(2, legs.size(), legs.toString());
    JsonObject version = legs.get(0).getAsJsonObject();
    assertEquals("failed", version.get("status").getAsString(), version.toString());
    assertTrue(
        version.get("notes").getAsString().endsWith("the engine sees no GPU"), version.toString());
    JsonObject train = legs.get(1).getAsJsonObject();
    assertEquals("failed", train.get("status").getAsString(), train.toString());
    assertTrue(
        train.get("notes").getAsString().contains("mm1.device")
            && train.get("notes").getAsString().contains("the engine sees no GPU"),
        train.toString());
    assertTrue(Files.notExists(out.resolve("runs/fp32/metrics.jsonl")), "nothing was trained");
  }

  @Test
  void badSettingsAreOneLineAndTouchNothing() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "mine");
    Finished notEmpty = check(full, tiny());
    assertEquals(Main.USER_ERROR, notEmpty.status(), notEmpty.output());
    assertEquals(
        "mm1: error: OUT_DIR "
            + full
            + ": is not empty; give a new or empty folder (nothing in it is overwritten)",
        notEmpty.output().strip());
    try (Stream<Path> left = Files.list(full)) {
      assertEquals(List.of(full.resolve("keep.txt")), left.toList());
    }

    Map<String, String> settings = tiny();
    settings.put("MM1_CHECK_STEPS", "many");
    Finished steps = check(dir.resolve("steps"), settings);
    assertEquals(Main.USER_ERROR, steps.status(), steps.output());
    assertEquals(
        "mm1: error: MM1_CHECK_STEPS=many: give a whole number of at least 1",
        steps.output().strip());

    settings = tiny();
    settings.put("MM1_CHECK_LEGS", "version,trian-fp32");
    Finished legs = check(dir.resolve("legs"), settings);
    assertEquals(Main.USER_ERROR, legs.status(), legs.output());
    assertEquals(
        "mm1: error: MM1_CHECK_LEGS: no leg 'trian-fp32'; the legs are " + String.join(",", LEGS),
        legs.output().strip());
  }

  @Test
  void theScriptsAreShellcheckClean() throws Exception {
    String shellcheck = null;
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder, "shellcheck");
      if (Files.isExecutable(candidate)) {
        shellcheck = candidate.toString();
        break;
      }
    }
    assumeTrue(
        shellcheck != null,
        "shellcheck is not installed (Debian: apt-get install shellcheck): the scripts were not"
            + " linted");
    for (String script : List.of("tools/gpu-check/run.sh", "tools/gpu-check/rehearse.sh", "mm1")) {
      Process p =
          new ProcessBuilder(shellcheck, REPOSITORY.resolve(script).toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), script + ":\n" + output);
    }
  }
}
