package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.plugins.decoders.DecoderFixtures.TINY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.VOCABULARY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.decoder;
import static org.mm1lab.plugins.decoders.DecoderFixtures.maxDiff;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.KeyValueCache;

class DenseDecoderTest {

  @BeforeEach
  void seed() {
    Engine.getInstance().setRandomSeed(1234);
  }

  private static NDArray logits(DenseDecoder d, ParameterStore ps, NDArray tokens, NDArray mask) {
    return d.decode(ps, DecoderInput.text(tokens, mask), null, false).logits();
  }

  @Test
  void fullPassHasLogitShapeAndMatchesBlockForward() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 2, 5);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 5), DataType.INT64);
      NDArray mask = m.ones(new Shape(2, 5), DataType.INT64);
      NDArray logits = logits(d, ps, tokens, mask);
      assertEquals(new Shape(2, 5, VOCABULARY), logits.getShape());
      assertEquals(logits.getShape(), d.getOutputShapes(new Shape[] {tokens.getShape()})[0]);
      NDArray viaBlock = d.forward(ps, new NDList(tokens, mask), false).singletonOrThrow();
      assertEquals(0f, maxDiff(logits, viaBlock));
      assertTrue(logits.isInfinite().logicalOr(logits.isNaN()).none().getBoolean());
    }
  }

  @Test
  void cachedIncrementalDecodingEqualsFullPass() {
    for (String variant : new String[] {TINY, TINY + "kv-heads = 4\ntie-embeddings = false"}) {
      try (NDManager m = NDManager.newBaseManager()) {
        DenseDecoder d = decoder(m, variant, 2, 7);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 7), DataType.INT64);
        // row 1 is left-padded by two positions
        NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}});
        NDArray full = logits(d, ps, tokens, mask);

        try (KeyValueCache cache = d.newCache(m, 2)) {
          NDList pieces = new NDList();
          pieces.add(
              d.decode(ps, DecoderInput.text(tokens.get(":, :3"), mask.get(":, :3")), cache, false)
                  .logits());
          assertEquals(3, cache.length());
          for (int i = 3; i < 7; i++) {
            String column = ":, " + i + ":" + (i + 1);
            pieces.add(
                d.decode(ps, DecoderInput.text(tokens.get(column), mask.get(column)), cache, false)
                    .logits());
            assertEquals(i + 1, cache.length());
          }
          NDArray incremental = NDArrays.concat(pieces, 1);
          // real positions only: logits at padding queries are meaningless by contract
          assertTrue(maxDiff(full.get("0"), incremental.get("0")) < 1e-4f);
          assertTrue(maxDiff(full.get("1, 2:"), incremental.get("1, 2:")) < 1e-4f);
        }
      }
    }
  }

  @Test
  void laterTokensDoNotChangeEarlierLogits() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 1, 6);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray mask = m.ones(new Shape(1, 6), DataType.INT64);
      NDArray a = logits(d, ps, m.create(new long[][] {{1, 2, 3, 4, 5, 6}}), mask);
      NDArray b = logits(d, ps, m.create(new long[][] {{1, 2, 3, 4, 9, 6}}), mask);
      assertEquals(0f, maxDiff(a.get(":, :4"), b.get(":, :4")), 1e-6f);
      assertTrue(maxDiff(a.get(":, 4:"), b.get(":, 4:")) > 1e-4f);
    }
  }

  @Test
  void paddedRowsMatchTheirUnpaddedLogits() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 3, 6);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray alone = logits(d, ps, m.create(new long[][] {{3, 1, 4, 1}}), m.ones(new Shape(1, 4)));
      // padding ids are arbitrary: they must be masked out, not merely be a "pad" id
      NDArray tokens =
          m.create(new long[][] {{3, 1, 4, 1, 7, 8}, {9, 5, 3, 1, 4, 1}, {5, 9, 2, 6, 5, 3}});
      NDArray mask =
          m.create(new long[][] {{1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}});
      NDArray batch = logits(d, ps, tokens, mask);
      assertTrue(maxDiff(alone.get(0), batch.get("0, :4")) < 1e-5f, "right padding");
      assertTrue(maxDiff(alone.get(0), batch.get("1, 2:")) < 1e-5f, "left padding");
    }
  }

  @Test
  void imageTokensFillTheirSlotsInRowMajorOrder() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 2, 8);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 8), DataType.INT64);
      NDArray mask = m.ones(new Shape(2, 8), DataType.INT64);
      // image 0 (T = 2) in row 0 at positions 2-3, image 1 in row 1 at positions 5-6
      NDArray slots = m.create(new long[][] {{0, 0, 1, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1, 1, 0}});
      NDArray images = m.randomNormal(new Shape(2, 2, 16));
      NDArray base =
          d.decode(ps, new DecoderInput(tokens, mask, slots, images), null, false).logits();

      NDArray changed = images.duplicate();
      changed.set(new NDIndex("1, 0"), m.randomNormal(new Shape(16)));
      NDArray other =
          d.decode(ps, new DecoderInput(tokens, mask, slots, changed), null, false).logits();
      assertEquals(0f, maxDiff(base.get("0"), other.get("0")), 1e-6f, "row 0 holds image 0 only");
      assertEquals(0f, maxDiff(base.get("1, :5"), other.get("1, :5")), 1e-6f, "before the slot");
      assertTrue(maxDiff(base.get("1, 5:"), other.get("1, 5:")) > 1e-4f, "at and after the slot");

      // the ids under image slots are ignored, even out-of-vocabulary ones
      NDArray odd = tokens.mul(slots.neg().add(1)).add(slots.mul(9999));
      NDArray same = d.decode(ps, new DecoderInput(odd, mask, slots, images), null, false).logits();
      assertEquals(0f, maxDiff(base, same), 1e-6f);

      IllegalArgumentException mismatch =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  d.decode(
                      ps, new DecoderInput(tokens, mask, slots, images.get(":1")), null, false));
      assertTrue(
          mismatch.getMessage().contains("imageSlots marks 4 positions"), mismatch.getMessage());
    }
  }

  @Test
  void gradientsReachEveryParameterAndTheImageTokens() {
    for (String variant : new String[] {TINY, TINY + "tie-embeddings = false"}) {
      try (NDManager m = NDManager.newBaseManager()) {
        DenseDecoder d = decoder(m, variant, 2, 6);
        ParameterStore ps = new ParameterStore(m, false);
        DecoderInput input = paddedBatchWithOneImage(m);
        NDArray images = input.imageTokens();
        images.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = d.decode(ps, input, null, true).logits();
          NDArray weights = m.randomNormal(logits.getShape());
          collector.backward(logits.mul(weights).sum());
        }
        for (Pair<String, Parameter> p : d.getParameters()) {
          NDArray gradient = p.getValue().getArray().getGradient();
          assertTrue(gradient.abs().sum().getFloat() > 0f, "no gradient reaches " + p.getKey());
        }
        assertTrue(images.getGradient().abs().sum().getFloat() > 0f, "no gradient to images");
      }
    }
  }

  @Test
  void listedLogitPositionsGiveTheFullPassRowsAndItsGradients() {
    for (String variant : new String[] {TINY, TINY + "tie-embeddings = false"}) {
      try (NDManager m = NDManager.newBaseManager()) {
        DenseDecoder d = decoder(m, variant, 2, 6);
        ParameterStore ps = new ParameterStore(m, false);
        DecoderInput input = paddedBatchWithOneImage(m);
        NDArray positions = m.create(new long[] {3, 4, 6, 9, 11});
        NDArray weights = m.randomNormal(new Shape(5, VOCABULARY));

        float[][] fullGradients = gradients(d, ps, input, null, positions, weights);
        NDArray full = d.decode(ps, input, null, false).logits().reshape(12, VOCABULARY);
        NDArray listed = d.decode(ps, input.withLogitPositions(positions), null, false).logits();
        assertEquals(new Shape(5, VOCABULARY), listed.getShape(), "the decoder honours the list");
        assertTrue(
            maxDiff(full.get(positions), listed) < 1e-5f, "listed rows differ from the full pass");

        float[][] listedGradients = gradients(d, ps, input, positions, positions, weights);
        for (int i = 0; i < fullGradients.length; i++) {
          assertArrayEquals(fullGradients[i], listedGradients[i], 1e-5f, "gradient " + i);
        }
      }
    }
  }

  /** Two rows of 6 (the first padded at its end), an image of 2 tokens in the first. */
  private static DecoderInput paddedBatchWithOneImage(NDManager m) {
    NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 6), DataType.INT64);
    NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 1}});
    NDArray slots = m.create(new long[][] {{0, 1, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 0}});
    return new DecoderInput(tokens, mask, slots, m.randomNormal(new Shape(1, 2, 16)));
  }

  /**
   * Every parameter's gradient of {@code sum(logits[rows] * weights)}, the logits computed at
   * {@code listed} positions (null: all of them, then the rows picked).
   */
  private static float[][] gradients(
      DenseDecoder d,
      ParameterStore ps,
      DecoderInput input,
      NDArray listed,
      NDArray rows,
      NDArray weights) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.zeroGradients();
      NDArray logits = d.decode(ps, input.withLogitPositions(listed), null, true).logits();
      NDArray picked = listed == null ? logits.reshape(-1, VOCABULARY).get(rows) : logits;
      collector.backward(picked.mul(weights).sum());
    }
    return d.getParameters().values().stream()
        .map(p -> p.getArray().getGradient().toFloatArray())
        .toArray(float[][]::new);
  }

  @Test
  void parameterCountEqualsTheFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      // V = 11, D = 16, 2 layers, 4 heads of width 4 over 2 kv heads, F = 24
      long perLayer = 2 * 16 + 2 * 16 * 16 + 2 * 16 * (2 * 4) + 3 * 16 * 24;
      long tied = 11 * 16 + 2 * perLayer + 16;
      assertEquals(tied, count(decoder(m, TINY, 1, 4)));
      assertEquals(tied, decoder(m, TINY, 1, 4).spec().parameterCount());
      assertEquals(tied + 11 * 16, count(decoder(m, TINY + "tie-embeddings = false", 1, 4)));
      DenseDecoder defaults = decoder(m, "", 1, 2);
      assertEquals(defaults.spec().parameterCount(), count(defaults));
    }
  }

  private static long count(DenseDecoder d) {
    long total = 0;
    for (Pair<String, Parameter> p : d.getParameters()) {
      total += p.getValue().getArray().size();
    }
    return total;
  }

  @Test
  void rotaryEmbeddingMatchesHandComputedRotation() {
    try (NDManager m = NDManager.newBaseManager()) {
      RotaryEmbedding rope = new RotaryEmbedding(4, 100.0);
      RotaryEmbedding.Rotation angles = rope.angles(m.create(new float[][] {{0f, 3f}}), 0.5);
      // x = (1, 2, 3, 4) at position 3: pair (1,3) turns by 3 rad, pair (2,4) by 3/10 rad
      NDArray x = m.create(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, new Shape(1, 2, 1, 4));
      float[] out = rope.apply(x, angles.cos(), angles.sin()).toFloatArray();
      double a = 3.0;
      double b = 0.3;
      float[] expected = {
        1,
        2,
        3,
        4, // position 0: identity
        (float) (Math.cos(a) - 3 * Math.sin(a)),
        (float) (2 * Math.cos(b) - 4 * Math.sin(b)),
        (float) (3 * Math.cos(a) + Math.sin(a)),
        (float) (4 * Math.cos(b) + 2 * Math.sin(b))
      };
      assertArrayEquals(expected, out, 1e-5f);
      // the queries' rotation carries the score scale
      float[] scaled = rope.apply(x, angles.queryCos(), angles.querySin()).toFloatArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(0.5f * expected[i], scaled[i], 1e-5f);
      }
    }
  }

  @Test
  void rmsNormMatchesHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      RmsNorm norm = new RmsNorm(2, 0f);
      norm.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      NDArray y =
          norm.forward(
                  new ParameterStore(m, false), new NDList(m.create(new float[][] {{3, 4}})), false)
              .singletonOrThrow();
      double rms = Math.sqrt((9 + 16) / 2.0);
      assertArrayEquals(
          new float[] {(float) (3 / rms), (float) (4 / rms)}, y.toFloatArray(), 1e-6f);
    }
  }

  @Test
  void cacheRejectsAnotherBatchSize() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 2, 3);
      ParameterStore ps = new ParameterStore(m, false);
      try (KeyValueCache cache = d.newCache(m, 1)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    d.decode(
                        ps,
                        DecoderInput.text(m.zeros(new Shape(2, 3)), m.ones(new Shape(2, 3))),
                        cache,
                        false));
        assertTrue(e.getMessage().contains("holds 1 rows but the input has 2"), e.getMessage());
      }
    }
  }
}
