package org.mm1lab.plugins.data;

import org.mm1lab.api.DataMixer;

/**
 * Like {@link WeightedMixer}, but draws one source per batch: all {@code batchSize} examples of a
 * batch come from the same source, chosen with probability weight / sum. Over many batches the mix
 * matches the weights; within a batch every sequence has the same kind (useful when sources have
 * very different lengths or image counts, so that a batch packs evenly).
 *
 * <p>Example {@code n} belongs to batch {@code n / batchSize}, whose source is a pure function of
 * the seed, the weights and the batch index. The state counts examples, not batches ({@code
 * batch-weighted:<n>}), so a run saved in the middle of a batch resumes in the middle of it.
 * Batches are aligned to the start of the stream: the host must draw exactly {@code batchSize}
 * examples per batch for batches to line up with training steps. Not thread-safe.
 */
final class BatchWeightedMixer implements DataMixer {

  /** This mixer's name, also the tag of its saved states. */
  static final String NAME = "batch-weighted";

  /** Separates this mixer's random stream from other mixers' streams of the same seed. */
  private static final long SALT = 0x4241544348574754L; // "BATCHWGT"

  private final SourceWeights weights;
  private final CounterRandom random;
  private final int batchSize;
  private long position;

  /**
   * @param batchSize examples per batch, positive (as {@link org.mm1lab.api.MixerContext} checks)
   */
  BatchWeightedMixer(SourceWeights weights, long seed, int batchSize) {
    this.weights = weights;
    this.random = new CounterRandom(seed, SALT);
    this.batchSize = batchSize;
  }

  @Override
  public String nextSource() {
    long batch = position++ / batchSize;
    return weights.pick(random.uniform(batch));
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
