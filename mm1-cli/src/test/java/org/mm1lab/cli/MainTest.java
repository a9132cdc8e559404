package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;
import org.mm1lab.core.testplugin.RunFiles;

class MainTest {

  @TempDir Path dir;

  private String runFile(String text) {
    return RunFiles.write(dir, "run.conf", text).toString();
  }

  /** A user error: exit 2, exactly one line on stderr, no stack trace. */
  private String oneLineError(Result result) {
    assertEquals(2, result.status(), result.err());
    assertEquals(1, result.errLines().size(), result.err());
    String line = result.errLines().get(0);
    assertTrue(line.startsWith("mm1: error: "), line);
    assertFalse(result.err().contains("\tat "), result.err());
    return line.substring("mm1: error: ".length());
  }

  @Test
  void versionAndHelpExitZero() {
    Result version = mm1("--version");
    assertEquals(0, version.status());
    assertTrue(version.out().contains("plugin API 1.0"), version.out());
    assertTrue(version.out().contains("DJL 0.36.0 with PyTorch 2.7.1"), version.out());
    // The engine loaded here: the CPU build from the pytorch-native-cpu jar, no GPU.
    assertTrue(
        version.out().contains("engine PyTorch 2.7.1, flavour cpu (no CUDA), loaded from "),
        version.out());
    assertTrue(
        version.out().contains("\ndevices: cpu only; the engine sees no GPU\n"), version.out());
    Result help = mm1("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("plugins"), help.out());
    assertTrue(help.out().contains("config"), help.out());
  }

  @Test
  void usageMistakesAreOneLineAndExitTwo() {
    assertEquals("missing command (see 'mm1 --help')", oneLineError(mm1()));
    assertTrue(oneLineError(mm1("trian")).startsWith("Unmatched argument at index 0: 'trian'"));
    assertEquals(
        "Missing required parameter: 'FILE' (see 'mm1 config validate --help')",
        oneLineError(mm1("config", "validate")));
  }

  @Test
  void pluginsListsFactoriesWithSourceAndDefaults() {
    Result result = mm1("plugins", "--family", "ENCODER");
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("encoder (image encoder):"), result.out());
    assertTrue(result.out().contains("  stand-in-encoder  ["), result.out());
    assertTrue(
        result.out().contains("      patch-size = 8  # Side of a square patch, in pixels."),
        result.out());
    assertFalse(result.out().contains("connector ("), result.out());
  }

  @Test
  void pluginsListsEveryBuiltIn() {
    Result result = mm1("plugins");
    assertEquals(0, result.status(), result.err());
    for (String name :
        List.of(
            "clip-vit",
            "aim-vit",
            "linear",
            "mlp",
            "avg-pool",
            "attention-pool",
            "c-abstractor",
            "dense",
            "moe",
            "weighted",
            "batch-weighted",
            "schedule")) {
      assertTrue(
          result.out().contains("\n  " + name + "  [mm1-plugins-"), name + "\n" + result.out());
    }
  }

  @Test
  void quickstartValidatesWithTheBuiltIns() {
    Path quickstart = Path.of("..", "examples", "quickstart.conf");
    // without its pretrained encoder, which examples/pretrain-clip.conf writes (see below)
    Result result =
        mm1(
            "config",
            "validate",
            quickstart.toString(),
            "--set",
            "mm1.model.encoder.checkpoint=\"\"");
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("c-abstractor"), result.out());
    assertTrue(result.out().contains("16 image tokens of width 128"), result.out());
  }

  @Test
  void quickstartWithoutItsPretrainedEncoderSaysHowToMakeIt() {
    Path quickstart = Path.of("..", "examples", "quickstart.conf");
    String line = oneLineError(mm1("config", "validate", quickstart.toString()));
    assertTrue(line.startsWith("mm1.model.encoder.checkpoint ("), line);
    assertTrue(
        line.contains("no such file 'runs/pretrain-clip-encoder/encoder.safetensors'"), line);
    assertTrue(line.contains("mm1 pretrain-encoder"), line);
  }

  @Test
  void builtInSizeMismatchIsOneLine() {
    Path quickstart = Path.of("..", "examples", "quickstart.conf");
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                quickstart.toString(),
                "--set",
                "mm1.model.encoder.checkpoint=\"\"",
                "--set",
                "mm1.model.connector.tokens=20"));
    assertTrue(
        line.startsWith(
            "mm1.model.connector.tokens (--set mm1.model.connector.tokens=20): 20 is not"),
        line);
  }

  @Test
  void validRunValidates() {
    Result result = mm1("config", "validate", runFile(RunFiles.STAND_IN_RUN));
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("is valid (run 'test')"), result.out());
    assertTrue(result.out().contains("16 image tokens of width 24"), result.out());
  }

  @Test
  void showPrintsEveryValueWithItsOrigin() {
    Result result = mm1("config", "show", runFile(RunFiles.STAND_IN_RUN), "--set", "mm1.seed=3");
    assertEquals(0, result.status(), result.err());
    assertTrue(
        result.out().matches("(?s).*mm1\\.seed = 3 +# --set mm1\\.seed=3\n.*"), result.out());
    assertTrue(
        result.out().matches("(?s).*mm1\\.train\\.steps = 10 +# .*run\\.conf:10\n.*"),
        result.out());
    assertTrue(
        result.out().matches("(?s).*mm1\\.model\\.encoder\\.width = 16 +# reference\\.conf in .*"),
        result.out());
  }

  @Test
  void typoInAKeyIsOneLine() {
    String line =
        oneLineError(
            mm1("config", "validate", runFile(RunFiles.standInRunWith("seq-len", "seq-lenght"))));
    assertTrue(line.endsWith("run.conf:11): unknown key; did you mean mm1.train.seq-len?"), line);
  }

  @Test
  void unknownTypeIsOneLine() {
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runFile(RunFiles.standInRunWith("stand-in-decoder", "stand-in-decodr"))));
    assertTrue(line.contains("unknown decoder 'stand-in-decodr'; known: dense, "), line);
    assertTrue(line.endsWith(", stand-in-decoder; did you mean 'stand-in-decoder'?"), line);
  }

  @Test
  void mismatchedSizesAreOneLine() {
    String line =
        oneLineError(
            mm1(
                "config",
                "validate",
                runFile(RunFiles.STAND_IN_RUN),
                "--set",
                "mm1.model.encoder.image-size=64"));
    assertTrue(line.endsWith("set tokens = 64"), line);
  }

  @Test
  void missingFileIsOneLine() {
    assertEquals(
        "run file " + dir.resolve("none.conf") + " does not exist or is not a file",
        oneLineError(mm1("config", "show", dir.resolve("none.conf").toString())));
  }

  /** The real thing: a separate JVM, its exit status, and nothing but the one line on stderr. */
  @Test
  void aSeparateProcessExitsTwoWithOneLine() throws Exception {
    String bad = runFile(RunFiles.standInRunWith("steps = 10", "steps = many"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dai.djl.offline=true");
    command.add(Main.class.getName());
    command.add("config");
    command.add("validate");
    command.add(bad);
    Process process = new ProcessBuilder(command).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "mm1 finished");
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), err);
    assertEquals(
        "mm1: error: mm1.train.steps (" + bad + ":10): expected an integer, got \"many\"\n", err);
  }
}
