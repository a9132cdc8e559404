package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.run.RunTraining;
import org.mm1lab.toolkit.weights.SafetensorsReader;

/**
 * The built-in encoder, C-Abstractor and dense decoder train in fp16-mixed as in fp32: the same
 * run, from the same seed on the same batches, once in each precision.
 */
class MixedPrecisionRunTest {

  private static final String RUN =
      String.join(
          "\n",
          "mm1 {",
          "  name = mixed",
          "  model {",
          "    encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 32, layers = 1,"
              + " heads = 2 }",
          "    connector { type = c-abstractor, tokens = 4, depth = 1, hidden = 32 }",
          "    decoder { type = dense, width = 48, layers = 2, heads = 2, kv-heads = 2, ffn = 96 }",
          "  }",
          "  data.mix { type = weighted, sources { captioned = 2, interleaved = 1, text = 1 } }",
          "  train { steps = 30, batch-size = 4, seq-len = 64, lr = 3e-3, warmup = 4,"
              + " log-every = 1, checkpoint-every = 30 }",
          "}",
          "");

  /**
   * The largest relative difference allowed between the two runs' final losses (each the mean of
   * the last five steps): float16 rounds every product, so the runs drift apart slowly, but they
   * must learn the same thing.
   */
  private static final double FINAL_LOSS_TOLERANCE = 0.05;

  @TempDir Path dir;

  private List<Double> train(String precision) throws IOException {
    Path runFile = Files.writeString(dir.resolve("run.conf"), RUN);
    Path out = dir.resolve(precision);
    RunTraining.Result result =
        new RunTraining(
                new Assembly(MixedPrecisionRunTest.class.getClassLoader()),
                new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                false)
            .train(runFile, List.of("mm1.train.precision=" + precision), out);
    assertEquals(30, result.outcome().step());
    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      JsonObject record = JsonParser.parseString(line).getAsJsonObject();
      losses.add(record.get("loss").getAsDouble());
      assertEquals(
          precision.equals("fp16-mixed"), record.has("loss-scale"), "loss scale logged: " + line);
    }
    try (SafetensorsReader weights =
        SafetensorsReader.open(out.resolve("checkpoints/step-00000030/model.safetensors"))) {
      for (String name : weights.names()) {
        assertEquals("F32", weights.info(name).dataType().name(), name + " is saved in float32");
      }
    }
    return losses;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  @Test
  void aMixedPrecisionRunTracksTheFloat32Run() throws IOException {
    List<Double> exact = train("fp32");
    List<Double> mixed = train("fp16-mixed");
    for (List<Double> losses : List.of(exact, mixed)) {
      assertTrue(
          mean(losses.subList(25, 30)) < 0.85 * mean(losses.subList(0, 5)),
          "the loss falls: " + losses);
    }
    double exactFinal = mean(exact.subList(25, 30));
    double mixedFinal = mean(mixed.subList(25, 30));
    assertTrue(
        Math.abs(mixedFinal - exactFinal) < FINAL_LOSS_TOLERANCE * exactFinal,
        "final loss fp16-mixed " + mixedFinal + " against fp32 " + exactFinal);
  }
}
