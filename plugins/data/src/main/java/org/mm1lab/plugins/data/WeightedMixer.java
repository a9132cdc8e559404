package org.mm1lab.plugins.data;

import org.mm1lab.api.DataMixer;

/**
 * Draws each example's source independently, with probability weight / sum (the MM1 paper's mixing,
 * for example captioned : interleaved : text = 45 : 45 : 10).
 *
 * <p>The source of example {@code n} is a pure function of the seed, the weights and {@code n} (see
 * {@link CounterRandom}), so the state is just {@code n}: {@code weighted:<n>}. Not thread-safe;
 * the host draws from one thread.
 */
final class WeightedMixer implements DataMixer {

  /** This mixer's name, also the tag of its saved states. */
  static final String NAME = "weighted";

  /** Separates this mixer's random stream from other mixers' streams of the same seed. */
  private static final long SALT = 0x5745494748544544L; // "WEIGHTED"

  private final SourceWeights weights;
  private final CounterRandom random;
  private long position;

  WeightedMixer(SourceWeights weights, long seed) {
    this.weights = weights;
    this.random = new CounterRandom(seed, SALT);
  }

  @Override
  public String nextSource() {
    return weights.pick(random.uniform(position++));
  }

  @Override
  public String saveState() {
    return MixerState.format(NAME, position);
  }

  @Override
  public void restoreState(String state) {
    position = MixerState.parse(NAME, state);
  }
}
