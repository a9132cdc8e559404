package org.mm1lab.plugins.data;

import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/**
 * {@code type = weighted}: each example's source drawn independently by weight. Options: {@code
 * sources} (an open section of {@code name = weight}, required). See {@link WeightedMixer}.
 */
public final class WeightedMixerFactory implements DataMixerFactory {

  @Override
  public String name() {
    return WeightedMixer.NAME;
  }

  @Override
  public String description() {
    return "Draws each example's source independently with probability weight / sum.";
  }

  @Override
  public DataMixer create(Options options, MixerContext context) {
    return new WeightedMixer(SourceWeights.read(options, "sources", context), context.seed());
  }
}
