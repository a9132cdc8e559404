package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;
import org.mm1lab.core.testplugin.RunFiles;

/** {@code mm1 pretrain-encoder}, in process, on a tiny clip-vit run over the synthetic world. */
class PretrainEncoderCommandTest {

  @TempDir Path dir;

  /** Tiny sizes through --set, as a user would shrink a run to try it. */
  private static final List<String> TINY =
      List.of(
          "--set", "mm1.model.encoder.image-size=32",
          "--set", "mm1.model.encoder.patch-size=8",
          "--set", "mm1.model.encoder.width=16",
          "--set", "mm1.model.encoder.layers=1",
          "--set", "mm1.model.encoder.heads=2",
          "--set", "mm1.model.encoder.embed-dim=16",
          "--set", "mm1.model.encoder.text-width=16",
          "--set", "mm1.model.encoder.text-layers=1",
          "--set", "mm1.pretrain.steps=6",
          "--set", "mm1.pretrain.batch-size=4",
          "--set", "mm1.pretrain.log-every=2");

  /** A run with a clip-vit encoder and the stand-in connector, decoder and mixer. */
  private String runFile() {
    String text =
        RunFiles.standInRunWith(
            "encoder { type = stand-in-encoder }", "encoder { type = clip-vit }");
    return RunFiles.write(dir, "run.conf", text).toString();
  }

  private List<String> args(String... extra) {
    List<String> args = new ArrayList<>(List.of("pretrain-encoder", runFile()));
    args.addAll(TINY);
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void pretrainsAndWritesTheArtefactsAndTheLineToLoadThem() throws IOException {
    Path out = dir.resolve("encoder-out");
    Result result = mm1(args("--out", out.toString()));

    assertEquals(0, result.status(), result.err());
    List<String> lines = result.out().lines().toList();
    assertTrue(
        lines.get(0).startsWith("pretraining encoder clip-vit of run 'test' -> "), lines.get(0));
    // the device it trains on, which mm1.device = auto made the CPU on this machine
    assertTrue(lines.get(1).startsWith("engine: cpu(), "), lines.get(1));
    // Steps 1, 2, 4, 6: the first, every log-every, and the last.
    List<String> progress = lines.stream().filter(l -> l.startsWith("step ")).toList();
    assertEquals(4, progress.size(), result.out());
    assertTrue(
        progress
            .get(1)
            .matches(
                "step 2/6  loss \\d+\\.\\d{4}  lr \\d\\.\\de-\\d\\d  \\d+ img/s  elapsed \\d+s"
                    + "  eta (\\d+s|\\d+m\\d\\ds)"),
        progress.get(1));
    Path weights = out.resolve("encoder.safetensors");
    assertTrue(result.out().contains("encoder checkpoint: " + weights), result.out());
    String line = lines.get(lines.size() - 1).trim();
    assertTrue(line.startsWith("encoder { type = clip-vit, "), line);
    assertTrue(line.contains("image-size = 32"), line);
    assertTrue(line.contains("width = 16"), line);
    assertTrue(line.endsWith("checkpoint = \"" + weights + "\" }"), line);

    for (String file :
        List.of("run.conf", "metrics.jsonl", "encoder.safetensors", "encoder.json", "loss.png")) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    assertTrue(Files.readString(out.resolve("encoder.json")).contains("\"steps\": 6"));
    assertTrue(Files.isDirectory(out.resolve("tensorboard")), "the TensorBoard event files");
    try (var leftovers = Files.list(out)) {
      assertEquals(6, leftovers.count(), "no temporary files left behind");
    }

    // A run that names the file validates, and pretraining can continue from it.
    List<String> validate = new ArrayList<>(List.of("config", "validate", runFile()));
    validate.addAll(TINY);
    validate.addAll(List.of("--set", "mm1.model.encoder.checkpoint=\"" + weights + "\""));
    Result valid = mm1(validate);
    assertEquals(0, valid.status(), valid.err());
    List<String> again = args("--out", dir.resolve("again").toString());
    again.addAll(List.of("--set", "mm1.model.encoder.checkpoint=\"" + weights + "\""));
    Result continued = mm1(again);
    assertEquals(0, continued.status(), continued.err());
  }

  @Test
  void theSameRunTwiceWritesTheSameWeightsAndMetricsLosses() throws IOException {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    assertEquals(0, mm1(args("--out", first.toString())).status());
    assertEquals(0, mm1(args("--out", second.toString())).status());
    assertArrayEquals(
        Files.readAllBytes(first.resolve("encoder.safetensors")),
        Files.readAllBytes(second.resolve("encoder.safetensors")));
    assertEquals(losses(first), losses(second));
  }

  /** The loss fields of metrics.jsonl (the timings differ from run to run). */
  private static List<String> losses(Path out) throws IOException {
    return Files.readAllLines(out.resolve("metrics.jsonl")).stream()
        .map(line -> line.replaceAll(".*\"loss\":([^,]+),.*", "$1"))
        .toList();
  }

  @Test
  void aCheckpointThatDoesNotFitIsOneLineListingTheMismatches() {
    Path out = dir.resolve("first");
    assertEquals(0, mm1(args("--out", out.toString())).status());
    // Continue from it with another width: every width-dependent tensor is mis-shaped.
    List<String> wider = args("--out", dir.resolve("second").toString());
    wider.addAll(
        List.of(
            "--set",
            "mm1.model.encoder.width=24",
            "--set",
            "mm1.model.encoder.checkpoint=\"" + out.resolve("encoder.safetensors") + "\""));
    Result result = mm1(wider);

    assertEquals(2, result.status(), result.err());
    List<String> errors = result.err().lines().filter(l -> !l.contains(" WARN ")).toList();
    assertEquals(1, errors.size(), result.err());
    String error = errors.get(0);
    assertTrue(
        error.startsWith("mm1: error: mm1.model.encoder.checkpoint: the checkpoint "), error);
    assertTrue(
        error.contains(
            "mis-shaped: 01patchEmbedding_weight: expected (24, 3, 8, 8), found (16, 3, 8, 8)"),
        error);
    assertFalse(result.err().contains("\tat "), result.err());
  }

  @Test
  void badSettingsAreOneLineWithPathAndOrigin() {
    Result result = mm1(args("--set", "mm1.pretrain.batch-size=1"));
    assertEquals(2, result.status(), result.err());
    String error =
        result.err().lines().filter(l -> l.startsWith("mm1: error: ")).findFirst().orElseThrow();
    assertEquals(
        "mm1: error: mm1.pretrain.batch-size (--set mm1.pretrain.batch-size=1): must be between 2"
            + " and 65536, got 1",
        error);
    Result source = mm1(args("--set", "mm1.pretrain.source=captiond"));
    assertTrue(
        source
            .err()
            .contains(
                "'captiond' is not one of the run's data sources (captioned, vecap,"
                    + " interleaved, text); did you mean captioned?"),
        source.err());
    Result typo = mm1(args("--set", "mm1.pretrain.stpes=3"));
    assertTrue(
        typo.err()
            .contains(
                "mm1.pretrain.stpes (--set mm1.pretrain.stpes=3): unknown key; did you mean"
                    + " mm1.pretrain.steps?"),
        typo.err());
  }
}
