package org.mm1lab.core.pipeline;

import java.util.Map;
import java.util.Objects;
import org.mm1lab.api.DataMixer;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Tokenizer;

/**
 * Everything a {@link BatchPipeline} needs.
 *
 * @param sources the run's data sources by name
 * @param mixer picks the source of each example
 * @param builder examples to token sequences
 * @param tokenizer for the pad id
 * @param preprocessor images to encoder input
 * @param batchSize rows per batch
 * @param packing whether rows take several sequences
 * @param workers image decoding threads
 * @param prefetch batches kept ready
 * @param maxBadFraction tolerated share of undecodable images
 */
public record PipelineConfig(
    Map<String, DataSource> sources,
    DataMixer mixer,
    SequenceBuilder builder,
    Tokenizer tokenizer,
    ImagePreprocessor preprocessor,
    int batchSize,
    boolean packing,
    int workers,
    int prefetch,
    double maxBadFraction) {

  public PipelineConfig {
    sources = Map.copyOf(sources);
    Objects.requireNonNull(mixer, "mixer");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(preprocessor, "preprocessor");
    if (batchSize < 1 || workers < 1 || prefetch < 1) {
      throw new IllegalArgumentException("batchSize, workers and prefetch must be positive");
    }
    if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
      throw new IllegalArgumentException("maxBadFraction must be in [0, 1]");
    }
  }
}
