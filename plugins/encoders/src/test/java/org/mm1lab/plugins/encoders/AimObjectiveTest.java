package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;

class AimObjectiveTest {

  /** A tiny aim-vit: 32 px in 8 px patches (16 patches of 192 values), width 16. */
  static VisionTransformer tinyEncoder(String extra) {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.encoder",
            "image-size = 32\npatch-size = 8\nwidth = 16\nlayers = 2\nheads = 2\nmlp-ratio = 2.0\n"
                + "head-width = 32\nnormalize-targets = true\n"
                + extra);
    ImageEncoder encoder = new AimVitFactory().create(options, new EncoderContext(3));
    assertTrue(options.unreadKeys().isEmpty(), "unread: " + options.unreadKeys());
    return assertInstanceOf(VisionTransformer.class, encoder);
  }

  private static AimObjective initialised(NDManager manager, VisionTransformer vit, int batch) {
    vit.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32));
    EncoderObjective objective = vit.pretrainingObjective(0); // no vocabulary needed
    assertFalse(objective.needsCaptions());
    objective.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32));
    return assertInstanceOf(AimObjective.class, objective);
  }

  @Test
  void maskedMseUsesOnlyTheNonPrefixTargetsShiftedByOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // B = 1, N = 4 patches of 2 values. Row t of the predictions predicts patch t + 1.
      float[] predictions = {0, 0, 1, 2, 3, 3, 9, 9};
      float[] targets = {7, 7, 7, 7, 1, 1, 5, 5};
      // Prefix 2: targets 2, 3 from predictions 1, 2: ((1-1)² + (2-1)² + (3-5)² + (3-5)²) / 4.
      NDArray loss =
          AimObjective.maskedMse(
              manager.create(predictions, new Shape(1, 4, 2)),
              manager.create(targets, new Shape(1, 4, 2)),
              2);
      assertEquals((0 + 1 + 4 + 4) / 4.0, loss.getFloat(), 1e-6);
      // Prefix 1: also target 1 from prediction 0: adds (0-7)² twice.
      loss =
          AimObjective.maskedMse(
              manager.create(predictions, new Shape(1, 4, 2)),
              manager.create(targets, new Shape(1, 4, 2)),
              1);
      assertEquals((49 + 49 + 0 + 1 + 4 + 4) / 6.0, loss.getFloat(), 1e-6);
    }
  }

  @Test
  void prefixMaskIsBidirectionalOverThePrefixAndCausalAfter() {
    boolean[] mask = AimObjective.prefixMask(4, 2);
    String[] expected = {"1100", "1100", "1110", "1111"};
    for (int i = 0; i < 4; i++) {
      StringBuilder row = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        row.append(mask[i * 4 + j] ? '1' : '0');
      }
      assertEquals(expected[i], row.toString(), "row " + i);
    }
  }

  @Test
  void lossWithAConstantHeadIsTheHandComputedMaskedMseOfNormalisedPatches() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 2);
      // Fix the head: output weight 0 and bias c, so every position predicts c[k] for value k.
      var params = aim.getParameters();
      params.get("02output_weight").getArray().set(new float[32 * 192]);
      float[] c = new float[192];
      for (int k = 0; k < 192; k++) {
        c[k] = (float) Math.sin(k);
      }
      params.get("02output_bias").getArray().set(c);
      Random random = new Random(4);
      NDArray pixels = SyntheticSquares.images(manager, random, new int[] {1, 4}, 32);
      float[] x = pixels.toFloatArray();
      int prefix = 5;
      float loss =
          aim.loss(new ParameterStore(manager, false), vit, pixels, prefix, true).getFloat();

      double sum = 0;
      int count = 0;
      for (int b = 0; b < 2; b++) {
        for (int patch = prefix; patch < 16; patch++) {
          int gy = patch / 4;
          int gx = patch % 4;
          double[] values = new double[192];
          int k = 0;
          for (int py = 0; py < 8; py++) {
            for (int px = 0; px < 8; px++) {
              for (int ch = 0; ch < 3; ch++) {
                values[k++] = x[((b * 3 + ch) * 32 + gy * 8 + py) * 32 + gx * 8 + px];
              }
            }
          }
          double mean = 0;
          for (double v : values) {
            mean += v / 192;
          }
          double variance = 0;
          for (double v : values) {
            variance += (v - mean) * (v - mean) / 192;
          }
          for (int i = 0; i < 192; i++) {
            double target = (values[i] - mean) / Math.sqrt(variance + 1e-6);
            sum += (c[i] - target) * (c[i] - target);
            count++;
          }
        }
      }
      assertEquals(2 * 11 * 192, count);
      assertEquals(sum / count, loss, 1e-4);
    }
  }

  @Test
  void withoutNormalisationTheTargetsAreTheRawPixels() {
    VisionTransformer vit = tinyEncoder("normalize-targets = false");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 1);
      aim.getParameters().get("02output_weight").getArray().set(new float[32 * 192]);
      aim.getParameters().get("02output_bias").getArray().set(new float[192]);
      NDArray pixels = manager.full(new Shape(1, 3, 32, 32), 0.5f);
      // Predicting 0 for pixels of 0.5: every squared error is 0.25.
      assertEquals(
          0.25f,
          aim.loss(new ParameterStore(manager, false), vit, pixels, 3, false).getFloat(),
          1e-6f);
    }
  }

  @Test
  void gradientsReachEveryParameterOfEncoderAndHead() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 2);
      NDArray pixels = SyntheticSquares.images(manager, new Random(2), new int[] {0, 5}, 32);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(
            aim.loss(new ParameterStore(manager, false), vit, pixels, null, null, true));
      }
      int checked = 0;
      for (Pair<String, Parameter> p : vit.getParameters()) {
        ClipObjectiveTest.assertNonZeroGradient(p);
        checked++;
      }
      for (Pair<String, Parameter> p : aim.getParameters()) {
        ClipObjectiveTest.assertNonZeroGradient(p);
        checked++;
      }
      assertEquals(37 + 4, checked);
    }
  }

  @Test
  void prefixesAreDrawnInRangeAndFromTheSeed() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 1);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray pixels = SyntheticSquares.images(manager, new Random(1), new int[] {2}, 32);
      // Each prefix gives a different loss; the training draws must match losses of prefixes in
      // [1, 15], and a second objective with the same seed must draw the same sequence.
      float[] byPrefix = new float[16];
      for (int p = 1; p < 16; p++) {
        byPrefix[p] = aim.loss(ps, vit, pixels, p, false).getFloat();
      }
      AimObjective twin = (AimObjective) vit.pretrainingObjective(0);
      twin.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      for (int i = 0; i < twin.getParameters().size(); i++) {
        aim.getParameters()
            .get(i)
            .getValue()
            .getArray()
            .copyTo(twin.getParameters().get(i).getValue().getArray());
      }
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int draw = 0; draw < 40; draw++) {
        float a = aim.loss(ps, vit, pixels, null, null, true).getFloat();
        float b = twin.loss(ps, vit, pixels, null, null, true).getFloat();
        assertEquals(a, b, 0f, "same seed, same prefix");
        int match = -1;
        for (int p = 1; p < 16; p++) {
          if (Math.abs(byPrefix[p] - a) < 1e-6) {
            match = p;
          }
        }
        assertTrue(match >= 1, "loss " + a + " matches no prefix in [1, 15]");
        seen.add(match);
      }
      assertTrue(seen.size() > 5, "prefixes drawn: " + seen);
      // Evaluation uses the fixed prefix N / 2.
      assertEquals(byPrefix[8], aim.loss(ps, vit, pixels, null, null, false).getFloat(), 0f);
    }
  }

  @Test
  void pretrainingLowersTheAutoregressiveLoss() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(13);
      AimObjective aim = initialised(manager, vit, 8);
      Random random = new Random(6);
      int steps = 200;
      float[] losses =
          Pretraining.run(
              manager,
              vit,
              aim,
              steps,
              2e-3f,
              m -> {
                int[] colours = new int[8];
                for (int i = 0; i < 8; i++) {
                  colours[i] = random.nextInt(SyntheticSquares.COLOURS.length);
                }
                return new Pretraining.Batch(
                    SyntheticSquares.images(m, random, colours, 32), null, null);
              });
      double start = Pretraining.mean(losses, 0, 10);
      double end = Pretraining.mean(losses, steps - 10, steps);
      System.out.printf("AIM pretraining: loss %.4f -> %.4f over %d steps%n", start, end, steps);
      assertTrue(end < 0.6 * start, "loss " + start + " -> " + end);
    }
  }

  @Test
  void badOptionsAndUnsuitableEncodersGiveClearErrors() {
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> tinyEncoder("head-width = 0"));
    assertEquals("head-width", e.key());
    assertEquals("must be positive, got 0", e.getMessage());
    VisionTransformer onePatch = tinyEncoder("image-size = 8");
    IllegalArgumentException one =
        assertThrows(IllegalArgumentException.class, () -> onePatch.pretrainingObjective(0));
    assertTrue(
        one.getMessage().startsWith("AIM pretraining needs at least 2 patches"), one.getMessage());
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 1);
      IllegalArgumentException prefix =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  aim.loss(
                      new ParameterStore(manager, false),
                      vit,
                      manager.zeros(new Shape(1, 3, 32, 32)),
                      16,
                      true));
      assertEquals("prefix must lie in [1, 15], got 16", prefix.getMessage());
    }
  }

  @Test
  void aResizedEncoderKeepsItsObjectiveAndPatchCount() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      AimObjective aim = initialised(manager, vit, 1);
      VisionTransformer big = vit.withImageSize(48, manager); // 36 patches
      float loss =
          aim.loss(
                  new ParameterStore(manager, false),
                  big,
                  SyntheticSquares.images(manager, new Random(3), new int[] {1}, 48),
                  null,
                  null,
                  true)
              .getFloat();
      assertTrue(Float.isFinite(loss));
      assertInstanceOf(AimObjective.class, big.pretrainingObjective(0));
    }
  }
}
