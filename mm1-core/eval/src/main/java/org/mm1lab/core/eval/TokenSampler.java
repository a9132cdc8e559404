package org.mm1lab.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * Chooses each row's next token from {@code (B, V)} logits as a {@link Sampling} says: the argmax,
 * or a draw from the temperature-scaled softmax cut to its top-p nucleus. One sampler serves one
 * generation, its random stream seeded once, so a generation repeated with the same seed draws the
 * same tokens. Not thread-safe.
 */
final class TokenSampler {

  private final Sampling sampling;
  private final Random random;

  TokenSampler(Sampling sampling) {
    this.sampling = sampling;
    this.random = new Random(sampling.seed());
  }

  /**
   * The next token of each row.
   *
   * @param logits {@code (B, V)}
   * @return {@code (B)} int64, owned by the logits' manager
   */
  NDArray next(NDArray logits) {
    if (sampling.greedy()) {
      return logits.argMax(-1).toType(DataType.INT64, false);
    }
    Shape shape = logits.getShape();
    int rows = Math.toIntExact(shape.get(0));
    int vocabulary = Math.toIntExact(shape.get(1));
    // Drawn on the host: one row of a vocabulary per token is small, and java.util.Random makes
    // the draws the same on every engine and device.
    float[] values = logits.toType(DataType.FLOAT32, false).toFloatArray();
    long[] chosen = new long[rows];
    for (int r = 0; r < rows; r++) {
      chosen[r] = draw(Arrays.copyOfRange(values, r * vocabulary, (r + 1) * vocabulary));
    }
    return logits.getManager().create(chosen, new Shape(rows));
  }

  /** A token drawn from one row's logits. */
  int draw(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float value : logits) {
      max = Math.max(max, value);
    }
    double[] probabilities = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      probabilities[i] = Math.exp((logits[i] - max) / sampling.temperature());
      total += probabilities[i];
    }
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // most likely first; equal ones by id, so that the nucleus does not depend on the sort
    Arrays.sort(order, (a, b) -> compare(probabilities[b], probabilities[a], a, b));
    int kept = 0;
    double mass = 0;
    while (kept < order.length && (kept == 0 || mass < sampling.topP() * total)) {
      mass += probabilities[order[kept]];
      kept++;
    }
    double target = random.nextDouble() * mass;
    double cumulative = 0;
    for (int i = 0; i < kept; i++) {
      cumulative += probabilities[order[i]];
      if (target < cumulative) {
        return order[i];
      }
    }
    return order[kept - 1];
  }

  private static int compare(double first, double second, int a, int b) {
    int byValue = Double.compare(first, second);
    return byValue != 0 ? byValue : Integer.compare(a, b);
  }
}
