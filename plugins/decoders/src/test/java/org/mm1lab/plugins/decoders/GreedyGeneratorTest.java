package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mm1lab.plugins.decoders.DecoderFixtures.TINY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.decoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.eval.GreedyGenerator;

class GreedyGeneratorTest {

  /** Greedy decoding by full passes over the growing unpadded sequence, for reference. */
  private static long[] naive(
      DenseDecoder d, ParameterStore ps, NDManager m, long[] prompt, int n) {
    long[] sequence = prompt.clone();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      NDArray tokens = m.create(new long[][] {sequence});
      NDArray logits =
          d.decode(ps, DecoderInput.text(tokens, tokens.onesLike()), null, false).logits();
      out[i] = logits.get("0, -1").argMax().getLong();
      sequence = Arrays.copyOf(sequence, sequence.length + 1);
      sequence[sequence.length - 1] = out[i];
    }
    return out;
  }

  @Test
  void cachedGreedyGenerationEqualsFullPassesForPaddedPrompts() {
    Engine.getInstance().setRandomSeed(99);
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 3, 5);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.create(new long[][] {{3, 1, 4, 1, 5}, {0, 0, 2, 7, 1}, {6, 2, 8, 0, 0}});
      NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}, {1, 1, 1, 0, 0}});
      NDArray generated =
          new GreedyGenerator(d, ps).generate(DecoderInput.text(tokens, mask), 6, -1);
      assertEquals(6, generated.getShape().get(1));
      assertArrayEquals(
          naive(d, ps, m, new long[] {3, 1, 4, 1, 5}, 6), generated.get(0).toLongArray());
      assertArrayEquals(naive(d, ps, m, new long[] {2, 7, 1}, 6), generated.get(1).toLongArray());
      assertArrayEquals(naive(d, ps, m, new long[] {6, 2, 8}, 6), generated.get(2).toLongArray());
    }
  }

  @Test
  void rowsStopAtTheEndToken() {
    Engine.getInstance().setRandomSeed(99);
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder d = decoder(m, TINY, 1, 4);
      ParameterStore ps = new ParameterStore(m, false);
      long[] prompt = {3, 1, 4, 1};
      long first = naive(d, ps, m, prompt, 1)[0];
      NDArray tokens = m.create(new long[][] {prompt});
      NDArray generated =
          new GreedyGenerator(d, ps)
              .generate(DecoderInput.text(tokens, tokens.onesLike()), 5, first);
      assertArrayEquals(new long[] {first}, generated.get(0).toLongArray());
    }
  }
}
