package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.eval.GreedyGenerator;

/**
 * Measures cached against uncached greedy generation of 64 tokens (width 128, 4 layers). It only
 * prints the speed-up, since timings depend on the machine; it asserts that both give the same
 * tokens.
 */
class CachedGenerationSpeedTest {

  @Test
  void printsTheSpeedUpOfTheCache() {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d =
          (DenseDecoder)
              new DenseDecoderFactory()
                  .create(
                      DecoderFixtures.options(
                          "width = 128\nlayers = 4\nheads = 4\nkv-heads = 4\nffn = 344"),
                      new DecoderContext(1, 256, 128));
      d.initialize(m, DataType.FLOAT32, new Shape(1, 8));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray prompt = m.randomInteger(0, 256, new Shape(1, 8), DataType.INT64);
      GreedyGenerator generator = new GreedyGenerator(d, ps);
      uncached(d, ps, m, prompt, 4); // warm-up of both paths
      generator.generate(DecoderInput.text(prompt, prompt.onesLike()), 4, -1);

      long t0 = System.nanoTime();
      long[] slow = uncached(d, ps, m, prompt, 64);
      long t1 = System.nanoTime();
      long[] fast =
          generator.generate(DecoderInput.text(prompt, prompt.onesLike()), 64, -1).toLongArray();
      long t2 = System.nanoTime();
      assertArrayEquals(slow, fast);
      System.out.printf(
          "greedy 64 tokens (width 128, 4 layers): uncached %.0f ms, cached %.0f ms, ratio %.2fx%n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, (double) (t1 - t0) / (t2 - t1));
    }
  }

  /** Greedy generation by a full pass over the whole sequence for every new token. */
  private static long[] uncached(
      DenseDecoder d, ParameterStore ps, NDManager m, NDArray prompt, int n) {
    long[] out = new long[n];
    NDArray sequence = prompt;
    try (NDManager scope = m.newSubManager()) {
      for (int i = 0; i < n; i++) {
        NDArray logits =
            d.decode(ps, DecoderInput.text(sequence, sequence.onesLike()), null, false).logits();
        NDArray next = logits.get(":, -1, :").argMax(-1).toType(DataType.INT64, false);
        out[i] = next.getLong();
        NDArray grown = sequence.concat(next.reshape(1, 1), 1);
        grown.attach(scope);
        sequence = grown;
      }
    }
    return out;
  }
}
