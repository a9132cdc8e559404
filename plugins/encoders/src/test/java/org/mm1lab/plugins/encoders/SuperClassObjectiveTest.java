package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class SuperClassObjectiveTest {

  /** A tiny superclass-vit: 32 px in 8 px patches, width 16. */
  private static VisionTransformer tinyEncoder() {
    return tinyEncoder("mean");
  }

  /** A tiny superclass-vit with the given pooling. */
  private static VisionTransformer tinyEncoder(String pooling) {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.encoder",
            "image-size = 32\npatch-size = 8\nwidth = 16\nlayers = 2\nheads = 2\nmlp-ratio = 2.0\n"
                + "stem = patch\npooling = "
                + pooling
                + "\n");
    ImageEncoder encoder = new SuperClassVitFactory().create(options, new EncoderContext(3));
    assertTrue(options.unreadKeys().isEmpty(), "unread: " + options.unreadKeys());
    return assertInstanceOf(VisionTransformer.class, encoder);
  }

  private static SuperClassObjective initialised(
      NDManager manager, VisionTransformer vit, int batch) {
    vit.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32));
    EncoderObjective objective = vit.pretrainingObjective(SyntheticSquares.VOCABULARY);
    objective.initialize(
        manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32), new Shape(batch, 5));
    return assertInstanceOf(SuperClassObjective.class, objective);
  }

  @Test
  void lossIsTheCrossEntropyAgainstEachCaptionsDistinctTokensSharingOne() {
    VisionTransformer vit = tinyEncoder();
    try (NDManager manager = NDManager.newBaseManager()) {
      SuperClassObjective objective = initialised(manager, vit, 2);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray pixels = SyntheticSquares.images(manager, new Random(1), new int[] {0, 1}, 32);
      // caption 0: a red square red <end> (red twice: three distinct tokens); caption 1: blue
      // square <end> and padding
      int red = SyntheticSquares.FIRST_COLOUR;
      int blue = SyntheticSquares.FIRST_COLOUR + 2;
      int a = SyntheticSquares.A;
      int square = SyntheticSquares.SQUARE;
      int end = SyntheticSquares.END;
      NDArray tokens =
          manager.create(
              new int[] {a, red, square, red, end, blue, square, end, 0, 0}, new Shape(2, 5));
      NDArray mask = SyntheticSquares.mask(tokens);
      float loss = objective.loss(ps, vit, pixels, tokens, mask, false).getFloat();
      float[] logits = objective.logits(ps, vit, pixels, false).toFloatArray();
      int v = SyntheticSquares.VOCABULARY;
      double expected =
          (-(logSoftmax(logits, 0, v, a)
                          + logSoftmax(logits, 0, v, red)
                          + logSoftmax(logits, 0, v, square)
                          + logSoftmax(logits, 0, v, end))
                      / 4
                  - (logSoftmax(logits, 1, v, blue)
                          + logSoftmax(logits, 1, v, square)
                          + logSoftmax(logits, 1, v, end))
                      / 3)
              / 2;
      assertEquals(expected, loss, 1e-5);
    }
  }

  private static double logSoftmax(float[] logits, int row, int v, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      max = Math.max(max, logits[row * v + i]);
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      sum += Math.exp(logits[row * v + i] - max);
    }
    return logits[row * v + token] - max - Math.log(sum);
  }

  @Test
  void gradientsReachEveryParameterAndTrainingLowersTheLoss() {
    VisionTransformer vit = tinyEncoder();
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      SuperClassObjective objective = initialised(manager, vit, 6);
      ParameterStore ps = new ParameterStore(manager, false);
      Random random = new Random(2);
      int[] colours = SyntheticSquares.shuffledColours(random);
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);
      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      assertOneBackwardReachesTheEncoder(ps, vit, objective, pixels, tokens);
      for (Pair<String, Parameter> p : objective.getParameters()) {
        ClipObjectiveTest.assertNonZeroGradient(p);
      }

      // A caption's colour is one of its 3 or 4 distinct tokens; the others are the same for
      // every image, so the floor is the entropy of the target, about ln 3 to ln 4, not zero.
      assertTrainingLowersTheLoss(manager, vit, objective, random);
    }
  }

  @Test
  void maxPoolingKeepsEachTokensHighestPatchLogitAndTrains() {
    VisionTransformer vit = tinyEncoder("max");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      SuperClassObjective objective = initialised(manager, vit, 6);
      ParameterStore ps = new ParameterStore(manager, false);
      Random random = new Random(3);
      int[] colours = SyntheticSquares.shuffledColours(random);
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);

      // by hand: every patch (B, 16, 16) through the classifier's weight and bias, then the
      // highest logit of each token over the 16 patches
      float[] patches = vit.encode(ps, pixels, false).toFloatArray();
      float[] weight = null;
      float[] bias = null;
      for (Pair<String, Parameter> p : objective.getParameters()) {
        if (p.getKey().endsWith("weight")) {
          weight = p.getValue().getArray().toFloatArray();
        } else {
          bias = p.getValue().getArray().toFloatArray();
        }
      }
      int v = SyntheticSquares.VOCABULARY;
      int n = 16;
      int d = 16;
      float[] logits = objective.logits(ps, vit, pixels, false).toFloatArray();
      for (int b = 0; b < 6; b++) {
        for (int t = 0; t < v; t++) {
          double best = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < n; i++) {
            double z = bias[t];
            for (int k = 0; k < d; k++) {
              z += (double) weight[t * d + k] * patches[(b * n + i) * d + k];
            }
            best = Math.max(best, z);
          }
          assertEquals(best, logits[b * v + t], 1e-4, "image " + b + ", token " + t);
        }
      }

      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      assertOneBackwardReachesTheEncoder(ps, vit, objective, pixels, tokens);
      assertTrainingLowersTheLoss(manager, vit, objective, random);
    }
  }

  @Test
  void anUnknownPoolingIsRefusedNamingTheOption() {
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> tinyEncoder("median"));
    assertEquals("pooling", e.key());
    assertTrue(e.getMessage().contains("mean, max"), e.getMessage());
  }

  /** One backward pass of the loss; every encoder parameter gets a gradient. */
  private static void assertOneBackwardReachesTheEncoder(
      ParameterStore ps,
      VisionTransformer vit,
      SuperClassObjective objective,
      NDArray pixels,
      NDArray tokens) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(
          objective.loss(ps, vit, pixels, tokens, SyntheticSquares.mask(tokens), true));
    }
    for (Pair<String, Parameter> p : vit.getParameters()) {
      ClipObjectiveTest.assertNonZeroGradient(p);
    }
  }

  /** 150 steps on fresh synthetic-square batches lower the loss by more than 0.3. */
  private static void assertTrainingLowersTheLoss(
      NDManager manager, VisionTransformer vit, SuperClassObjective objective, Random random) {
    int steps = 150;
    float[] losses =
        Pretraining.run(
            manager,
            vit,
            objective,
            steps,
            2e-3f,
            m -> {
              int[] shuffled = SyntheticSquares.shuffledColours(random);
              NDArray captions = SyntheticSquares.captions(m, random, shuffled);
              return new Pretraining.Batch(
                  SyntheticSquares.images(m, random, shuffled, 32),
                  captions,
                  SyntheticSquares.mask(captions));
            });
    double start = Pretraining.mean(losses, 0, 10);
    double end = Pretraining.mean(losses, steps - 10, steps);
    assertTrue(end < start - 0.3, "loss " + start + " -> " + end);
  }

  @Test
  void tokensOutsideTheVocabularyAndEmptyCaptionsAreRefused() {
    VisionTransformer vit = tinyEncoder();
    try (NDManager manager = NDManager.newBaseManager()) {
      SuperClassObjective objective = initialised(manager, vit, 1);
      NDArray tooLarge = manager.create(new int[] {1, 99}, new Shape(1, 2));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> objective.targets(tooLarge, manager.ones(new Shape(1, 2))));
      assertEquals(
          "caption token ids must lie in [0, " + SyntheticSquares.VOCABULARY + "), got 99",
          e.getMessage());
      NDArray empty = manager.create(new int[] {0, 0}, new Shape(1, 2));
      assertThrows(
          IllegalArgumentException.class,
          () -> objective.targets(empty, manager.zeros(new Shape(1, 2))));
    }
  }
}
