package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.KeyValueCache;

/**
 * Calls that extend a cache without padding take {@link DenseDecoder#unpaddedContext}: a rotation
 * from the cache's table and no mask. They must give what the general path and a full pass give.
 */
class UnpaddedDecodingTest {

  @BeforeEach
  void seed() {
    Engine.getInstance().setRandomSeed(4321);
  }

  private static NDArray decode(
      DenseDecoder d, ParameterStore ps, NDArray tokens, NDArray mask, KeyValueCache cache) {
    return d.decode(ps, DecoderInput.text(tokens, mask), cache, false).logits();
  }

  /** Columns {@code [from, to)} of a {@code (B, L)} array. */
  private static NDArray columns(NDArray array, long from, long to) {
    return array.get(":, " + from + ":" + to);
  }

  @Test
  void unpaddedCallsEqualAFullPass() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 2, 10);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 10), DataType.INT64);
      NDArray mask = m.ones(new Shape(2, 10), DataType.INT64);
      NDArray full = decode(d, ps, tokens, mask, null);
      try (KeyValueCache cache = d.newCache(m, 2)) {
        NDList pieces = new NDList();
        // a prompt (several new positions: the causal bias), steps of one, then of three
        long[] cuts = {0, 4, 5, 6, 7, 10};
        for (int i = 0; i + 1 < cuts.length; i++) {
          NDArray piece = columns(tokens, cuts[i], cuts[i + 1]);
          pieces.add(decode(d, ps, piece, columns(mask, cuts[i], cuts[i + 1]), cache));
          assertEquals(cuts[i + 1], cache.length());
        }
        NDArray incremental = NDArrays.concat(pieces, 1);
        assertTrue(maxDiff(full, incremental) < 1e-4f, "max diff " + maxDiff(full, incremental));
      }
    }
  }

  @Test
  void aPaddedCallAfterUnpaddedOnesStillMasksItsPadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 2, 8);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 8), DataType.INT64);
      // row 1 skips position 5: padding in the middle of a generation (a finished row, say)
      NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 1, 1}});
      NDArray full = decode(d, ps, tokens, mask, null);
      try (KeyValueCache cache = d.newCache(m, 2)) {
        NDList pieces = new NDList();
        long[] cuts = {0, 3, 4, 5, 6, 7, 8};
        for (int i = 0; i + 1 < cuts.length; i++) {
          pieces.add(
              decode(
                  d,
                  ps,
                  columns(tokens, cuts[i], cuts[i + 1]),
                  columns(mask, cuts[i], cuts[i + 1]),
                  cache));
        }
        NDArray incremental = NDArrays.concat(pieces, 1);
        assertTrue(maxDiff(full.get("0"), incremental.get("0")) < 1e-4f);
        assertTrue(maxDiff(full.get("1, :5"), incremental.get("1, :5")) < 1e-4f);
        // after the gap: the padding is masked and the positions count real tokens only
        assertTrue(maxDiff(full.get("1, 6:"), incremental.get("1, 6:")) < 1e-4f);
        assertEquals(8, cache.length());
      }
    }
  }

  @Test
  void theTableGivesTheRotationAndMaskAPassComputes() {
    // head width 64, as the benchmark's decoder: each row's angles fill whole vector registers
    String wide = "width = 128\nlayers = 1\nheads = 2\nkv-heads = 2\nffn = 32\n";
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, wide, 1, 4);
      ParameterStore ps = new ParameterStore(m, false);
      RotaryEmbedding rotary = new RotaryEmbedding(64, d.spec().ropeBase());
      try (KeyValueCache cache = d.newCache(m, 1)) {
        DenseKeyValueCache kv = (DenseKeyValueCache) cache;
        NDArray prompt = m.randomInteger(0, VOCABULARY, new Shape(1, 5), DataType.INT64);
        decode(d, ps, prompt, prompt.onesLike(), cache);
        // 5 cached, then past the table's first capacity (64 positions): it is computed again
        for (long length : new long[] {5, 70}) {
          if (length > kv.length()) {
            kv.commitUnpadded(length - kv.length());
          }
          for (long added : new long[] {1, 3}) {
            NDArray newMask = m.ones(new Shape(1, added), DataType.INT64);
            assertTrue(kv.unpaddedWith(newMask));
            AttentionContext fast = DenseDecoder.unpaddedContext(rotary, newMask, kv);
            AttentionContext general = DenseDecoder.context(rotary, newMask, kv);
            RotaryEmbedding.Rotation a = fast.rotation();
            RotaryEmbedding.Rotation b = general.rotation();
            String at = "at " + length + " + " + added;
            assertEquals(0f, maxDiff(a.cos(), b.cos()), at);
            assertEquals(0f, maxDiff(a.sin(), b.sin()), at);
            assertEquals(0f, maxDiff(a.queryCos(), b.queryCos()), at);
            assertEquals(0f, maxDiff(a.querySin(), b.querySin()), at);
            if (added == 1) {
              assertNull(fast.bias(), "one new position sees every key");
              assertEquals(0f, general.bias().abs().max().getFloat(), at);
            } else {
              assertEquals(
                  0f, maxDiff(fast.bias().broadcast(general.bias().getShape()), general.bias()));
            }
          }
          assertEquals(length, kv.length(), "the general context leaves the cache as it was");
        }
      }
    }
  }

  @Test
  void aMaskWithPaddingOrFractionsIsNotUnpadded() {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 1, 3);
      try (KeyValueCache cache = d.newCache(m, 1)) {
        DenseKeyValueCache kv = (DenseKeyValueCache) cache;
        assertTrue(kv.unpaddedWith(m.create(new float[][] {{1f, 2f, 1f}})));
        assertTrue(!kv.unpaddedWith(m.create(new float[][] {{1f, 0.5f, 1f}})));
        assertTrue(!kv.unpaddedWith(m.create(new int[][] {{1, 0, 1}})));
      }
    }
  }
}
