package org.mm1lab.core.eval;

/**
 * How each new token is chosen: greedy (the most likely token, {@link #GREEDY}, what the evaluation
 * always uses) or drawn at random from the model's distribution divided by a temperature and cut to
 * its nucleus, the smallest set of most likely tokens whose probabilities reach {@code topP}. The
 * draws come from a random stream seeded with {@code seed}, so the same seed, prompt and model give
 * the same tokens.
 *
 * @param temperature 0 for greedy, otherwise above 0: below 1 sharpens the distribution, above 1
 *     flattens it
 * @param topP the probability mass sampled from, in {@code (0, 1]}; 1 keeps every token
 * @param seed the random stream's seed
 */
public record Sampling(double temperature, double topP, long seed) {

  /** Always the most likely token. */
  public static final Sampling GREEDY = new Sampling(0, 1, 0);

  /**
   * @throws IllegalArgumentException when the temperature is negative or not finite, or top-p is
   *     outside {@code (0, 1]}
   */
  public Sampling {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be 0 or above, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
  }

  /** Whether tokens are chosen greedily rather than drawn. */
  public boolean greedy() {
    return temperature == 0;
  }
}
