package org.mm1lab.plugins.data;

import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/**
 * {@code type = batch-weighted}: one source per batch of {@link MixerContext#batchSize()} examples,
 * drawn by weight. Options: {@code sources} (an open section of {@code name = weight}, required).
 * See {@link BatchWeightedMixer}.
 */
public final class BatchWeightedMixerFactory implements DataMixerFactory {

  @Override
  public String name() {
    return BatchWeightedMixer.NAME;
  }

  @Override
  public String description() {
    return "Draws one source per batch with probability weight / sum; a batch never mixes sources.";
  }

  @Override
  public DataMixer create(Options options, MixerContext context) {
    return new BatchWeightedMixer(
        SourceWeights.read(options, "sources", context), context.seed(), context.batchSize());
  }
}
