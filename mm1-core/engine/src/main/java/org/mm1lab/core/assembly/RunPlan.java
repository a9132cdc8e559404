package org.mm1lab.core.assembly;

import java.util.Objects;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.SequenceBuilder;
import org.mm1lab.core.pipeline.SequenceStats;
import org.mm1lab.core.sources.DataSources;

/**
 * A loaded run with its settings, each read and checked once, by {@link Assembly#plan}: what
 * training, evaluation, pretraining, the bench and the commands all work from, and what the
 * assembly builds the run's components from.
 *
 * @param config the resolved configuration
 * @param run the run's name, seed and device
 * @param train how it trains
 * @param data where its data comes from and how images are normalised
 */
public record RunPlan(RunConfig config, RunSettings run, TrainSettings train, DataSettings data) {

  public RunPlan {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(data, "data");
  }

  /** Images to {@code encoder}'s input, normalised as {@code mm1.data.image} says. */
  public ImagePreprocessor imagePreprocessor(ImageEncoder encoder) {
    return new ImagePreprocessor(encoder.imageSize(), data.mean(), data.std());
  }

  /**
   * The training data pipeline: the run's sources, through the components' mixer, into sequences
   * and batches of the run's shape.
   *
   * @param components the assembled components (mixer, tokenizer, image sizes)
   * @param stats counts the examples cut or dropped to fit a sequence
   * @throws org.mm1lab.core.UserException for a source whose files do not exist
   */
  public PipelineConfig pipeline(Components components, SequenceStats stats) {
    return new PipelineConfig(
        DataSources.open(data),
        components.mixer(),
        new SequenceBuilder(
            components.tokenizer(), components.connector().tokens(), train.sequenceLength(), stats),
        components.tokenizer(),
        imagePreprocessor(components.encoder()),
        train.batchSize(),
        data.packing(),
        data.workers(),
        data.prefetch(),
        data.maxBadFraction());
  }
}
