package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * Bad inputs of every kind (run files, data, checkpoints, plugin jars, images, command-line
 * values), each refused with exit status 2 and exactly one error line, its inputs left byte for
 * byte as they were. One tiny run is trained first; the cases that damage a run do so on a copy of
 * it.
 */
class BadInputBatteryTest {

  @TempDir static Path dir;

  private static Path runFile;
  private static Path trained;
  private static Path image;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    runFile = dir.resolve("tiny.conf");
    Files.writeString(
        runFile,
        InterruptTest.TINY_RUN
            .replace("steps = 100000", "steps = 4")
            .replace("checkpoint-every = 4", "checkpoint-every = 2"));
    trained = dir.resolve("trained");
    Result result = mm1("train", runFile.toString(), "--out", trained.toString());
    assertEquals(0, result.status(), result.err());
    image = dir.resolve("image.png");
    ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
  }

  /** Every file and folder under {@code root}, by relative path, with its bytes. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    if (!Files.isDirectory(root)) {
      files.put("", HexFormat.of().formatHex(Files.readAllBytes(root)));
      return files;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        files.put(
            root.relativize(p).toString(),
            Files.isRegularFile(p) ? HexFormat.of().formatHex(Files.readAllBytes(p)) : "<dir>");
      }
    }
    return files;
  }

  /**
   * Runs {@code args}: exit 2, exactly one line on standard error, an error containing {@code
   * expected}, no stack trace, and {@code watched} unchanged.
   */
  private String refused(Path watched, String expected, String... args) throws IOException {
    Map<String, String> before = snapshot(watched);
    Result result = mm1(args);
    assertEquals(2, result.status(), String.join(" ", args) + "\n" + result.err());
    assertEquals(1, result.errLines().size(), result.err());
    String line = result.errLines().get(0);
    assertTrue(line.startsWith("mm1: error: "), line);
    assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
    assertFalse(line.contains("Exception"), line);
    assertEquals(before, snapshot(watched), "the inputs changed: " + String.join(" ", args));
    return line;
  }

  /** A copy of the trained run, to damage. */
  private static Path copyOfRun(String name) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> paths = Files.walk(trained)) {
      for (Path p : paths.toList()) {
        Path target = copy.resolve(trained.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void runFiles() throws IOException {
    Path missing =
        write("missing-include.conf", "include \"sourcs.conf\"\n" + InterruptTest.TINY_RUN);
    assertEquals(
        "mm1: error: "
            + missing
            + ":1: include \"sourcs.conf\": no such file "
            + dir.resolve("sourcs.conf"),
        refused(dir, "include", "config", "validate", missing.toString()));
    Path required =
        write(
            "required-include.conf",
            InterruptTest.TINY_RUN + "\n# more\ninclude required(file(\"gone.conf\"))\n");
    int line = InterruptTest.TINY_RUN.split("\n", -1).length + 2;
    refused(
        dir,
        required + ":" + line + ": include \"gone.conf\": no such file",
        "train",
        required.toString(),
        "--out",
        dir.resolve("never").toString());
    assertFalse(Files.exists(dir.resolve("never")));
  }

  @Test
  void commandLineValues() throws IOException {
    refused(
        trained,
        "give a step",
        "train",
        runFile.toString(),
        "--out",
        trained.toString(),
        "--from-checkpoint",
        "latest");
    refused(
        trained,
        "give one",
        "train",
        runFile.toString(),
        "--out",
        trained.toString(),
        "--restart",
        "--from-checkpoint",
        "2");
    refused(
        trained,
        "has no step-00000003 (it holds steps [2, 4])",
        "train",
        runFile.toString(),
        "--out",
        trained.toString(),
        "--from-checkpoint",
        "3");
    refused(
        trained,
        "--set mm1.model.decoder.width=64: the model of a trained run stays as it" + " was trained",
        "eval",
        trained.toString(),
        "--set",
        "mm1.model.decoder.width=64");
    refused(trained, "the question is empty", "ask", trained.toString(), image.toString(), "");
    refused(trained, "the question is empty", "ask", trained.toString(), image.toString(), "  ");
    refused(dir, "--steps -1", "bench", "--quick", "--steps", "-1");
    refused(dir, "--vocab -5", "bench", "--quick", "--vocab", "-5");
    refused(dir, "--contend -1", "bench", "--quick", "--contend", "-1");
    refused(
        dir,
        "--matmul-size 8: give a whole number of at least 16",
        "bench",
        "--quick",
        "--matmul-size",
        "8");
    refused(
        dir,
        "--matmul-size 40000: give a whole number of at most 32768",
        "bench",
        "--quick",
        "--matmul-size",
        "40000");
    Path banana = write("banana-threads.conf", InterruptTest.TINY_RUN + "\nmm1.threads = banana\n");
    refused(dir, "mm1.threads", "config", "validate", banana.toString());
    Path bf16 = write("bf16.conf", InterruptTest.TINY_RUN + "\nmm1.train.precision = bf16\n");
    int bf16Line = InterruptTest.TINY_RUN.split("\n", -1).length + 1;
    assertEquals(
        "mm1: error: mm1.train.precision ("
            + bf16
            + ":"
            + bf16Line
            + "): 'bf16' is not one of fp32, fp16-mixed",
        refused(
            dir,
            "mm1.train.precision",
            "train",
            bf16.toString(),
            "--out",
            dir.resolve("never-bf16").toString()));
    assertFalse(Files.exists(dir.resolve("never-bf16")));
    refused(
        dir,
        "mm1.train.loss-scale.growth-interval (--set",
        "config",
        "validate",
        runFile.toString(),
        "--set",
        "mm1.train.loss-scale.growth-interval=0");
    Path aFile = write("a-file", "x");
    refused(
        dir,
        "--json " + aFile.resolve("out.json") + ": cannot be written",
        "bench",
        "--quick",
        "--json",
        aFile.resolve("out.json").toString());
    refused(dir, "is a folder", "bench", "--quick", "--json", dir.toString());
  }

  @Test
  void runFoldersAndCheckpoints() throws IOException {
    // Another configuration for the folder: refused before anything is written.
    refused(
        trained,
        "already holds a run with another configuration",
        "train",
        runFile.toString(),
        "--out",
        trained.toString(),
        "--set",
        "mm1.train.lr=0.5");
    // A device that is not there: a new folder is not created, an old one keeps its run.conf.
    Path fresh = dir.resolve("fresh");
    refused(
        dir,
        "mm1.device",
        "train",
        runFile.toString(),
        "--out",
        fresh.toString(),
        "--set",
        "mm1.device=gpu:7");
    assertFalse(Files.exists(fresh));
    Path gpu =
        write(
            "gpu.conf",
            InterruptTest.TINY_RUN.replace("  name = tiny", "  name = tiny\n  device = gpu"));
    refused(
        dir,
        "mm1.device (" + gpu + ":3) = gpu: the engine sees",
        "train",
        gpu.toString(),
        "--out",
        fresh.toString());
    assertFalse(Files.exists(fresh));
    refused(
        trained,
        "mm1.device",
        "train",
        runFile.toString(),
        "--out",
        trained.toString(),
        "--set",
        "mm1.device=gpu:7",
        "--set",
        "mm1.train.steps=6");

    Path damaged = copyOfRun("damaged");
    Path model = damaged.resolve("checkpoints/step-00000004/model.safetensors");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length - 3] ^= 0x5a;
    Files.write(model, bytes);
    refused(
        damaged,
        "does not match its checksum; continue from the newest intact one with"
            + " --from-checkpoint 2",
        "train",
        runFile.toString(),
        "--out",
        damaged.toString(),
        "--set",
        "mm1.train.steps=6");
    refused(
        damaged,
        "name the newest intact one instead: "
            + damaged.resolve("checkpoints/step-00000002").toAbsolutePath(),
        "eval",
        damaged.toString());

    Path incomplete = copyOfRun("incomplete");
    Files.delete(incomplete.resolve("checkpoints/step-00000004/state.json"));
    refused(
        incomplete,
        "step-00000004 cannot be used: it has no state.json",
        "train",
        runFile.toString(),
        "--out",
        incomplete.toString());
    refused(
        incomplete,
        "step-00000004 cannot be used: it has no state.json",
        "eval",
        incomplete.toString());
    refused(
        incomplete,
        "step-00000004 cannot be used: it has no state.json",
        "ask",
        incomplete.toString(),
        image.toString(),
        "what?");
  }

  @Test
  void dataAndPlugins() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("shards"));
    Files.write(shards.resolve("000000.tar"), new byte[0]);
    refused(
        shards, "is empty: its .tar shards hold no records", "data", "inspect", shards.toString());
    refused(
        shards,
        "is empty: the shard holds no records",
        "data",
        "inspect",
        shards.resolve("000000.tar").toString());
    refused(dir, "/dev/null is not a regular file", "data", "inspect", "/dev/null");
    Path fifo = dir.resolve("pipe.jsonl");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> refused(dir, fifo + " is not a regular file", "data", "inspect", fifo.toString()));
  }

  @Test
  void aCorruptPluginJarIsReportedAsUnreadable() throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = Files.writeString(plugins.resolve("broken.jar"), "not a zip");
    // Listing plugins reports a broken one as a warning and goes on, as for any plugin problem.
    Result listed = mm1("plugins", "--plugins", plugins.toString());
    assertEquals(1, listed.warningLines().size(), listed.err());
    assertTrue(listed.warningLines().get(0).contains(jar + " is not a readable jar"), listed.err());
    assertFalse(listed.err().contains("holds no plugin"), listed.err());
  }

  @Test
  void askAndCaptionTakeSet() {
    Result ask =
        mm1(
            "ask",
            trained.toString(),
            image.toString(),
            "what colour?",
            "--set",
            "mm1.eval.max-new-tokens.vqa=1");
    assertEquals(0, ask.status(), ask.err());
    Result caption =
        mm1(
            "caption",
            trained.toString(),
            image.toString(),
            "--set",
            "mm1.eval.max-new-tokens.caption=2");
    assertEquals(0, caption.status(), caption.err());
    Result bad = mm1("caption", trained.toString(), image.toString(), "--set", "mm1.eval.nope=2");
    assertEquals(2, bad.status(), bad.err());
    assertTrue(bad.err().contains("mm1.eval.nope"), bad.err());
  }
}
