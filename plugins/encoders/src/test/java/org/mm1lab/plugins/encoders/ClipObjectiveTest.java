package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;

class ClipObjectiveTest {

  /** A tiny clip-vit: 32 px in 8 px patches (16 patches), width 16; text width 16. */
  static VisionTransformer tinyEncoder(String extra) {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.encoder",
            "image-size = 32\npatch-size = 8\nwidth = 16\nlayers = 2\nheads = 2\nmlp-ratio = 2.0\n"
                + "embed-dim = 16\ntext-width = 16\ntext-layers = 2\ntext-heads = 2\n"
                + "max-text-length = 8\nhard-negatives = 0\nsuperclass-weight = 0\n"
                + extra);
    ImageEncoder encoder = new ClipVitFactory().create(options, new EncoderContext(3));
    assertTrue(options.unreadKeys().isEmpty(), "unread: " + options.unreadKeys());
    return assertInstanceOf(VisionTransformer.class, encoder);
  }

  private static ClipObjective initialised(NDManager manager, VisionTransformer vit, int batch) {
    vit.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32));
    EncoderObjective objective = vit.pretrainingObjective(SyntheticSquares.VOCABULARY);
    objective.initialize(
        manager, DataType.FLOAT32, new Shape(batch, 3, 32, 32), new Shape(batch, 5));
    return assertInstanceOf(ClipObjective.class, objective);
  }

  /** The symmetric cross-entropy in doubles, from unnormalised embeddings. */
  static double handLoss(float[][] images, float[][] texts, double logScale) {
    int b = images.length;
    double[][] img = normalise(images);
    double[][] txt = normalise(texts);
    double[][] logits = new double[b][b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        double dot = 0;
        for (int k = 0; k < img[i].length; k++) {
          dot += img[i][k] * txt[j][k];
        }
        logits[i][j] = Math.exp(logScale) * dot;
      }
    }
    double rows = 0;
    double columns = 0;
    for (int i = 0; i < b; i++) {
      double rowSum = 0;
      double columnSum = 0;
      for (int j = 0; j < b; j++) {
        rowSum += Math.exp(logits[i][j]);
        columnSum += Math.exp(logits[j][i]);
      }
      rows += Math.log(rowSum) - logits[i][i];
      columns += Math.log(columnSum) - logits[i][i];
    }
    return (rows / b + columns / b) / 2;
  }

  private static double[][] normalise(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double norm = 0;
      for (float v : x[i]) {
        norm += (double) v * v;
      }
      norm = Math.sqrt(norm);
      out[i] = new double[x[i].length];
      for (int k = 0; k < x[i].length; k++) {
        out[i][k] = x[i][k] / norm;
      }
    }
    return out;
  }

  private static float[][] rows(NDArray x) {
    int b = (int) x.getShape().get(0);
    int e = (int) x.getShape().get(1);
    float[] flat = x.toFloatArray();
    float[][] out = new float[b][e];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * e, out[i], 0, e);
    }
    return out;
  }

  @Test
  void contrastiveLossOfTwoKnownPairsMatchesTheHandComputedValue() {
    // Images [1,0], [0,2] normalise to e1, e2; texts [3,4], [0,1] to [.6,.8], [0,1]; scale 10.
    // Logits 10 * [[.6, 0], [.8, 1]]:
    // rows:    (log(e^6 + 1) - 6) + (log(e^8 + e^10) - 10)
    // columns: (log(e^6 + e^8) - 6) + (log(1 + e^10) - 10)
    double rows = Math.log(Math.exp(6) + 1) - 6 + Math.log(Math.exp(8) + Math.exp(10)) - 10;
    double columns = Math.log(Math.exp(6) + Math.exp(8)) - 6 + Math.log(1 + Math.exp(10)) - 10;
    double expected = (rows / 2 + columns / 2) / 2;
    float[][] images = {{1, 0}, {0, 2}};
    float[][] texts = {{3, 4}, {0, 1}};
    assertEquals(expected, handLoss(images, texts, Math.log(10)), 1e-12);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray loss =
          ClipObjective.contrastiveLoss(
              manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2)),
              manager.create(new float[] {3, 4, 0, 1}, new Shape(2, 2)),
              manager.create(new float[] {(float) Math.log(10)}));
      assertEquals(new Shape(), loss.getShape());
      assertEquals(expected, loss.getFloat(), 1e-5);
      // Perfectly matched pairs at a huge scale cost (almost) nothing.
      NDArray matched =
          ClipObjective.contrastiveLoss(
              manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)),
              manager.create(new float[] {2, 0, 0, 3}, new Shape(2, 2)),
              manager.create(new float[] {(float) Math.log(100)}));
      assertEquals(2 * Math.log1p(Math.exp(-100)) / 2, matched.getFloat(), 1e-6);
    }
  }

  @Test
  void hardNegativesJoinEveryImagesRowButNoColumn() {
    // Images e1, e2; texts [.6,.8], [0,1]; one negative [1,0]; scale 10.
    // Logits 10 * [[.6, 0 | 1], [.8, 1 | 0]]: the negative joins each row's softmax only.
    double rows =
        Math.log(Math.exp(6) + 1 + Math.exp(10))
            - 6
            + Math.log(Math.exp(8) + Math.exp(10) + 1)
            - 10;
    double columns = Math.log(Math.exp(6) + Math.exp(8)) - 6 + Math.log(1 + Math.exp(10)) - 10;
    double expected = (rows + columns) / 4;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray loss =
          ClipObjective.contrastiveLoss(
              manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2)),
              manager.create(new float[] {3, 4, 0, 1}, new Shape(2, 2)),
              manager.create(new float[] {1, 0}, new Shape(1, 2)),
              manager.create(new float[] {(float) Math.log(10)}));
      assertEquals(expected, loss.getFloat(), 1e-5);
    }
  }

  @Test
  void lossWithHardNegativesContrastsEachImageWithEveryAttestedOneTokenEdit() {
    VisionTransformer vit = tinyEncoder("hard-negatives = 10\n");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 3);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray pixels = SyntheticSquares.images(manager, new Random(2), new int[] {0, 1, 2}, 32);
      int[][] captions = {{4, 2, 5, 3}, {4, 1, 7, 3}, {6, 1, 5, 3}};
      NDArray tokens =
          manager.create(new int[] {4, 2, 5, 3, 4, 1, 7, 3, 6, 1, 5, 3}, new Shape(3, 4));
      NDArray mask = manager.ones(new Shape(3, 4));
      float loss = clip.loss(ps, vit, pixels, tokens, mask, false).getFloat();

      // every edit is made (10 per caption is more than there are), so their order is all that
      // the random stream decides, and the loss does not depend on the order of its negatives
      List<int[]> edits =
          CaptionNegatives.build(List.of(captions), 10, new java.util.SplittableRandom(0));
      assertTrue(edits.size() >= 2, "the batch allows several edits");
      int[] flat = new int[edits.size() * 4];
      for (int k = 0; k < edits.size(); k++) {
        System.arraycopy(edits.get(k), 0, flat, k * 4, 4);
      }
      NDArray negativeTokens = manager.create(flat, new Shape(edits.size(), 4));
      NDArray expected =
          ClipObjective.contrastiveLoss(
              clip.imageEmbeddings(ps, vit, pixels, false),
              clip.textEmbeddings(ps, tokens, mask, false),
              clip.textEmbeddings(
                  ps, negativeTokens, manager.ones(new Shape(edits.size(), 4)), false),
              manager.create(new float[] {ClipObjective.INITIAL_LOG_SCALE}));
      assertEquals(expected.getFloat(), loss, 1e-5);
      float plain =
          ClipObjective.contrastiveLoss(
                  clip.imageEmbeddings(ps, vit, pixels, false),
                  clip.textEmbeddings(ps, tokens, mask, false),
                  manager.create(new float[] {ClipObjective.INITIAL_LOG_SCALE}))
              .getFloat();
      assertTrue(loss > plain, "negatives can only make each image's choice harder");
    }
  }

  @Test
  void fullLossIsTheContrastiveLossOfMeanPooledImagesAndLastTokenTexts() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 3);
      ParameterStore ps = new ParameterStore(manager, false);
      Random random = new Random(1);
      int[] colours = {0, 3, 5};
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);
      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      NDArray mask = SyntheticSquares.mask(tokens);
      float loss = clip.loss(ps, vit, pixels, tokens, mask, false).getFloat();
      float[][] images = rows(clip.imageEmbeddings(ps, vit, pixels, false));
      float[][] texts = rows(clip.textEmbeddings(ps, tokens, mask, false));
      assertEquals(ClipObjective.INITIAL_LOG_SCALE, clip.logScale(), 1e-7);
      assertEquals(handLoss(images, texts, Math.log(1 / 0.07)), loss, 1e-4);

      // The image embedding is the projection of the mean patch feature.
      float[] pooled = vit.encode(ps, pixels, false).mean(new int[] {1}).toFloatArray();
      float[] weight =
          clip.getParameters().get("01imageProjection_weight").getArray().toFloatArray(); // (E, D)
      for (int e = 0; e < 16; e++) {
        double expected = 0;
        for (int d = 0; d < 16; d++) {
          expected += weight[e * 16 + d] * pooled[d]; // image 0
        }
        assertEquals(expected, images[0][e], 1e-4);
      }
    }
  }

  @Test
  void superclassWeightAddsTheWeightedPatchClassificationLoss() {
    VisionTransformer vit = tinyEncoder("superclass-weight = 0.5\n");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 3);
      ParameterStore ps = new ParameterStore(manager, false);
      Random random = new Random(4);
      int[] colours = {1, 2, 4};
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);
      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      NDArray mask = SyntheticSquares.mask(tokens);
      float loss = clip.loss(ps, vit, pixels, tokens, mask, false).getFloat();
      float[][] images = rows(clip.imageEmbeddings(ps, vit, pixels, false));
      float[][] texts = rows(clip.textEmbeddings(ps, tokens, mask, false));
      SuperClassObjective patches = clip.patchClassifier();
      float classification = patches.loss(ps, vit, pixels, tokens, mask, false).getFloat();
      assertTrue(classification > 0);
      assertEquals(handLoss(images, texts, Math.log(1 / 0.07)) + 0.5 * classification, loss, 1e-4);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(clip.loss(ps, vit, pixels, tokens, mask, true));
      }
      for (Pair<String, Parameter> p : patches.getParameters()) {
        assertNonZeroGradient(p);
      }
    }
    assertNull(initialisedWithoutManager(tinyEncoder("")).patchClassifier());
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> tinyEncoder("superclass-weight = -1"));
    assertEquals("superclass-weight", e.key());
  }

  private static ClipObjective initialisedWithoutManager(VisionTransformer vit) {
    return assertInstanceOf(
        ClipObjective.class, vit.pretrainingObjective(SyntheticSquares.VOCABULARY));
  }

  @Test
  void textEmbeddingReadsRealTokensOnlyAndPoolsTheLastOne() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 1);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0}, new Shape(1, 5));
      float[] base = embed(clip, ps, manager, new int[] {4, 2, 3, 0, 0}, mask);
      // Other ids at padded positions change nothing.
      assertEquals(
          0, maxDifference(base, embed(clip, ps, manager, new int[] {4, 2, 3, 7, 9}, mask)));
      // A shorter, unpadded caption of the same real tokens gives the same embedding.
      float[] unpadded =
          embed(
              clip,
              ps,
              manager,
              new int[] {4, 2, 3},
              manager.create(new float[] {1, 1, 1}, new Shape(1, 3)));
      assertTrue(maxDifference(base, unpadded) < 1e-5);
      // The first real token matters (the last position has seen it).
      assertTrue(
          maxDifference(base, embed(clip, ps, manager, new int[] {5, 2, 3, 0, 0}, mask)) > 1e-4);
    }
  }

  private static float[] embed(
      ClipObjective clip, ParameterStore ps, NDManager manager, int[] ids, NDArray mask) {
    NDArray tokens = manager.create(ids, new Shape(1, ids.length));
    return clip.textEmbeddings(ps, tokens, mask, false).toFloatArray();
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  @Test
  void gradientsReachEveryParameterOfEncoderAndObjective() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 4);
      ParameterStore ps = new ParameterStore(manager, false);
      Random random = new Random(2);
      int[] colours = {0, 1, 2, 3};
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);
      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(clip.loss(ps, vit, pixels, tokens, SyntheticSquares.mask(tokens), true));
      }
      List<String> names = new ArrayList<>();
      for (Pair<String, Parameter> p : vit.getParameters()) {
        assertNonZeroGradient(p);
        names.add(p.getKey());
      }
      for (Pair<String, Parameter> p : clip.getParameters()) {
        assertNonZeroGradient(p);
        names.add(p.getKey());
      }
      assertTrue(names.contains("logScale"), names.toString());
      assertTrue(names.contains("02textTower_tokenEmbedding"), names.toString());
      // Encoder 37; objective: 2 projections, token + position embeddings, 2 blocks of 16, norm 2,
      // log-scale.
      assertEquals(37 + 2 + 2 + 2 * 16 + 2 + 1, names.size());
    }
  }

  static void assertNonZeroGradient(Pair<String, Parameter> p) {
    NDArray gradient = p.getValue().getArray().getGradient();
    assertTrue(gradient.abs().max().getFloat() > 0, p.getKey() + " got no gradient");
  }

  @Test
  void savedObjectiveLoadsIntoAFreshOneWithTheSameLoss() throws Exception {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 2);
      clip.getDirectParameters().get("logScale").getArray().set(new float[] {1.5f});
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      clip.saveParameters(new java.io.DataOutputStream(bytes));
      EncoderObjective copy = vit.pretrainingObjective(SyntheticSquares.VOCABULARY);
      copy.loadParameters(
          manager,
          new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      assertEquals(1.5f, ((ClipObjective) copy).logScale(), 0f);
      Random random = new Random(8);
      int[] colours = {2, 4};
      NDArray pixels = SyntheticSquares.images(manager, random, colours, 32);
      NDArray tokens = SyntheticSquares.captions(manager, random, colours);
      NDArray mask = SyntheticSquares.mask(tokens);
      ParameterStore ps = new ParameterStore(manager, false);
      assertEquals(
          clip.loss(ps, vit, pixels, tokens, mask, false).getFloat(),
          copy.loss(ps, vit, pixels, tokens, mask, false).getFloat(),
          0f);
    }
  }

  @Test
  void afterStepClampsTheLogScaleToZeroToLn100() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 1);
      Parameter s = clip.getDirectParameters().get("logScale");
      clip.afterStep();
      assertEquals((float) Math.log(1 / 0.07), clip.logScale(), 1e-7, "in range: unchanged");
      s.getArray().set(new float[] {10f});
      clip.afterStep();
      assertEquals((float) Math.log(100), clip.logScale(), 0f);
      s.getArray().set(new float[] {-1f});
      NDArray before = s.getArray();
      clip.afterStep();
      assertEquals(0f, clip.logScale(), 0f);
      // in place: the optimizer and the gradient keep the parameter's array
      assertSame(before, s.getArray());
      assertEquals(1, before.size());
      assertTrue(before.hasGradient());
    }
  }

  @Test
  void pretrainingLowersTheContrastiveLoss() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      ClipObjective clip = initialised(manager, vit, 6);
      Random random = new Random(5);
      int steps = 200;
      float[] losses =
          Pretraining.run(
              manager,
              vit,
              clip,
              steps,
              2e-3f,
              m -> {
                int[] colours = SyntheticSquares.shuffledColours(random);
                NDArray tokens = SyntheticSquares.captions(m, random, colours);
                return new Pretraining.Batch(
                    SyntheticSquares.images(m, random, colours, 32),
                    tokens,
                    SyntheticSquares.mask(tokens));
              });
      double start = Pretraining.mean(losses, 0, 10);
      double end = Pretraining.mean(losses, steps - 10, steps);
      System.out.printf("CLIP pretraining: loss %.4f -> %.4f over %d steps%n", start, end, steps);
      assertTrue(start > 1.5, "6-way chance is ln 6 = 1.79; got " + start);
      assertTrue(end < 0.3 * start, "loss " + start + " -> " + end);
      assertTrue(clip.logScale() >= 0 && clip.logScale() <= Math.log(100) + 1e-6);
    }
  }

  @Test
  void captionsLongerThanTheMaximumAreRejected() {
    VisionTransformer vit = tinyEncoder("");
    try (NDManager manager = NDManager.newBaseManager()) {
      ClipObjective clip = initialised(manager, vit, 1);
      NDArray tokens = manager.zeros(new Shape(1, 9), DataType.INT32);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  clip.textEmbeddings(
                      new ParameterStore(manager, false),
                      tokens,
                      manager.ones(new Shape(1, 9)),
                      false));
      assertEquals(
          "captions of 9 tokens exceed max-text-length 8; truncate them or raise max-text-length",
          e.getMessage());
      NDArray outOfRange = manager.create(new int[] {1, 99}, new Shape(1, 2));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  clip.textEmbeddings(
                      new ParameterStore(manager, false),
                      outOfRange,
                      manager.ones(new Shape(1, 2)),
                      false));
      assertEquals(
          "caption token ids must lie in [0, "
              + SyntheticSquares.VOCABULARY
              + "), got ids from 1 to 99",
          e.getMessage());
    }
  }

  @Test
  void badObjectiveOptionsNameTheKey() {
    InvalidOptionException e =
        assertThrows(InvalidOptionException.class, () -> tinyEncoder("text-heads = 3"));
    assertEquals("text-heads", e.key());
    assertEquals(
        "3 does not divide text-width 16; use text-heads = 2 or 4, or change text-width",
        e.getMessage());
    e = assertThrows(InvalidOptionException.class, () -> tinyEncoder("hard-negatives = -1"));
    assertEquals("hard-negatives", e.key());
    assertEquals("must be 0 or more, got -1", e.getMessage());
    e = assertThrows(InvalidOptionException.class, () -> tinyEncoder("embed-dim = 0"));
    assertEquals("embed-dim", e.key());
    assertEquals("must be positive, got 0", e.getMessage());
    e = assertThrows(InvalidOptionException.class, () -> tinyEncoder("max-text-length = 1"));
    assertEquals("max-text-length", e.key());
  }

  @Test
  void objectiveNeedsAVocabularyAndAnEncoderWithoutOneHasNoObjective() {
    VisionTransformer vit = tinyEncoder("");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> vit.pretrainingObjective(0));
    assertEquals("the CLIP objective needs a caption vocabulary, got size 0", e.getMessage());
    assertNotEquals(vit.pretrainingObjective(5), vit.pretrainingObjective(5));
    VisionTransformer bare = new VisionTransformer("plain", vit.config());
    UnsupportedOperationException u =
        assertThrows(UnsupportedOperationException.class, () -> bare.pretrainingObjective(5));
    assertEquals("this encoder has no pretraining objective", u.getMessage());
    // A resized encoder keeps its objective's options.
    assertInstanceOf(ClipObjective.class, vit.withImageSize(64, null).pretrainingObjective(5));
  }
}
