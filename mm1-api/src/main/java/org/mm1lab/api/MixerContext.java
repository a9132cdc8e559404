package org.mm1lab.api;

import java.util.List;

/**
 * What a {@link DataMixerFactory} draws from.
 *
 * @param seed the run's seed; a mixer's stream must be a pure function of it and its options
 * @param sourceNames the data sources the run defines, by name; a mixer must reject weights for
 *     names not in this list
 * @param batchSize examples per training batch, for mixers that decide per batch
 * @since 1.0
 */
public record MixerContext(long seed, List<String> sourceNames, int batchSize) {

  public MixerContext {
    sourceNames = List.copyOf(sourceNames);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
  }
}
