package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.data.WorldTokenizer;

/**
 * Greedy and sampled token choice: argmax when greedy, draws that follow the softmax at a
 * temperature, a nucleus that keeps exactly the most likely tokens reaching top-p, and the same
 * draws from the same seed, down to whole generations.
 */
class TokenSamplerTest {

  /** Logits whose softmax is 0.5, 0.25, 0.125, 0.125 at temperature 1. */
  private static final float[] HALVES = {
    (float) Math.log(4), (float) Math.log(2), 0f, 0f,
  };

  @Test
  void greedyTakesEachRowsArgmax() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(new float[] {0, 3, 1, 5, 2, 4}, new Shape(2, 3));
      NDArray next = new TokenSampler(Sampling.GREEDY).next(logits);
      assertEquals(DataType.INT64, next.getDataType());
      assertArrayEquals(new long[] {1, 0}, next.toLongArray());
    }
  }

  @Test
  void drawsFollowTheDistributionAtTheTemperature() {
    TokenSampler sampler = new TokenSampler(new Sampling(1, 1, 11));
    int[] counts = new int[4];
    int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      counts[sampler.draw(HALVES)]++;
    }
    double[] expected = {0.5, 0.25, 0.125, 0.125};
    for (int t = 0; t < 4; t++) {
      assertEquals(expected[t], counts[t] / (double) draws, 0.015, "token " + t);
    }
    // Temperature 0.5 squares the odds: 16 : 4 : 1 : 1.
    TokenSampler sharp = new TokenSampler(new Sampling(0.5, 1, 11));
    int first = 0;
    for (int i = 0; i < draws; i++) {
      first += sharp.draw(HALVES) == 0 ? 1 : 0;
    }
    assertEquals(16.0 / 22, first / (double) draws, 0.015);
  }

  @Test
  void topPKeepsOnlyTheMostLikelyTokensThatReachIt() {
    // 0.5 + 0.25 reaches 0.7: tokens 2 and 3 are never drawn, 0 and 1 at 2 : 1.
    TokenSampler nucleus = new TokenSampler(new Sampling(1, 0.7, 3));
    int[] counts = new int[4];
    for (int i = 0; i < 9_000; i++) {
      counts[nucleus.draw(HALVES)]++;
    }
    assertEquals(0, counts[2] + counts[3]);
    assertEquals(2.0 / 3, counts[0] / 9_000.0, 0.02);
    // A nucleus below the top token's probability is the top token alone: greedy.
    TokenSampler top = new TokenSampler(new Sampling(5, 0.1, 3));
    for (int i = 0; i < 100; i++) {
      assertEquals(0, top.draw(HALVES));
    }
  }

  @Test
  void theSameSeedDrawsTheSameTokensAndAnotherSeedOthers() {
    int[] a = drawMany(new Sampling(1, 1, 42));
    assertArrayEquals(a, drawMany(new Sampling(1, 1, 42)));
    assertNotEquals(
        java.util.Arrays.toString(a), java.util.Arrays.toString(drawMany(new Sampling(1, 1, 43))));
  }

  private static int[] drawMany(Sampling sampling) {
    TokenSampler sampler = new TokenSampler(sampling);
    int[] out = new int[64];
    for (int i = 0; i < out.length; i++) {
      out[i] = sampler.draw(HALVES);
    }
    return out;
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sampling(-0.1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(Double.NaN, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 1.01, 0));
    assertTrue(Sampling.GREEDY.greedy());
  }

  @Test
  void sampledGenerationsRepeatWithTheirSeed() {
    WorldTokenizer tokenizer = new WorldTokenizer();
    Engine.getInstance().setRandomSeed(9);
    try (NDManager manager = NDManager.newBaseManager()) {
      CausalMeanDecoder decoder = new CausalMeanDecoder(16, tokenizer.vocabularySize());
      decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray tokens = manager.create(new long[][] {{0, 0, 7, 8}, {9, 10, 11, 12}});
      NDArray mask = manager.create(new long[][] {{0, 0, 1, 1}, {1, 1, 1, 1}});
      DecoderInput prompt = DecoderInput.text(tokens, mask);
      // a high temperature flattens the small random model's distribution: draws vary
      GreedyGenerator hot = new GreedyGenerator(decoder, ps, new Sampling(50, 1, 7));
      long[] first = hot.generate(prompt, 12, -1).toLongArray();
      assertArrayEquals(first, hot.generate(prompt, 12, -1).toLongArray());
      assertArrayEquals(
          first,
          new GreedyGenerator(decoder, ps, new Sampling(50, 1, 7))
              .generate(prompt, 12, -1)
              .toLongArray());
      Set<String> bySeed = new HashSet<>();
      for (long seed = 0; seed < 4; seed++) {
        bySeed.add(
            java.util.Arrays.toString(
                new GreedyGenerator(decoder, ps, new Sampling(50, 1, seed))
                    .generate(prompt, 12, -1)
                    .toLongArray()));
      }
      assertTrue(bySeed.size() > 1, "different seeds draw different tokens");
      // sampling with a nucleus that holds only the top token is greedy generation
      assertArrayEquals(
          new GreedyGenerator(decoder, ps).generate(prompt, 12, -1).toLongArray(),
          new GreedyGenerator(decoder, ps, new Sampling(1, 1e-6, 3))
              .generate(prompt, 12, -1)
              .toLongArray());
    }
  }
}
