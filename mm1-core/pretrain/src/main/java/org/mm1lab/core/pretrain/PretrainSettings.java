package org.mm1lab.core.pretrain;

import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigErrors;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.train.LearningRateSchedule;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * The settings of {@code mm1 pretrain-encoder} ({@code mm1.pretrain}), read and validated once, on
 * construction. Defaults and their meaning are in mm1-core's {@code reference.conf}.
 *
 * @param steps optimiser steps
 * @param batchSize image-caption pairs per step
 * @param learningRate AdamW's peak learning rate
 * @param warmup linear warm-up steps before the cosine decay
 * @param weightDecay AdamW's decoupled weight decay
 * @param logEvery steps between logged lines
 * @param gradientClip the global gradient norm clipped to; 0 disables clipping
 * @param source the name of the data source to draw pairs from
 */
public record PretrainSettings(
    int steps,
    int batchSize,
    double learningRate,
    int warmup,
    double weightDecay,
    int logEvery,
    double gradientClip,
    String source) {

  /** The final learning rate as a fraction of the peak, at the end of the cosine decay. */
  public static final double MIN_LR_RATIO = 0.1;

  /**
   * Reads {@code mm1.pretrain}.
   *
   * @param config the run
   * @param data the run's data settings, to check that {@code source} names one of its sources
   * @throws UserException naming the first bad value's path, file and line
   */
  public static PretrainSettings from(RunConfig config, DataSettings data) {
    ConfigOptions mm1 = config.coreOptions();
    try {
      int steps = mm1.getInt("pretrain.steps", 1, Integer.MAX_VALUE);
      // A contrastive loss needs at least one negative per row.
      int batchSize = mm1.getInt("pretrain.batch-size", 2, 1 << 16);
      double learningRate = mm1.getDouble("pretrain.lr");
      if (!(learningRate > 0) || learningRate >= 1) {
        throw mm1.invalid("pretrain.lr", "must be in (0, 1), got " + learningRate);
      }
      // Warm-up longer than the run is allowed: a short trial run just never reaches the peak.
      int warmup = mm1.getInt("pretrain.warmup", 0, Integer.MAX_VALUE);
      double weightDecay = mm1.getDouble("pretrain.weight-decay");
      if (!(weightDecay >= 0) || weightDecay >= 1) {
        throw mm1.invalid("pretrain.weight-decay", "must be in [0, 1), got " + weightDecay);
      }
      int logEvery = mm1.getInt("pretrain.log-every", 1, Integer.MAX_VALUE);
      double gradientClip = mm1.getDouble("pretrain.grad-clip");
      if (!(gradientClip >= 0) || Double.isInfinite(gradientClip)) {
        throw mm1.invalid(
            "pretrain.grad-clip", "must be a norm >= 0 (0 disables clipping), got " + gradientClip);
      }
      String source = mm1.getString("pretrain.source");
      if (!data.sources().containsKey(source)) {
        String hint =
            Suggestions.closest(source, data.sourceNames())
                .map(s -> "; did you mean " + s + "?")
                .orElse("");
        throw mm1.invalid(
            "pretrain.source",
            "'"
                + source
                + "' is not one of the run's data sources ("
                + String.join(", ", data.sourceNames())
                + ")"
                + hint);
      }
      return new PretrainSettings(
          steps, batchSize, learningRate, warmup, weightDecay, logEvery, gradientClip, source);
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(mm1, e), e);
    }
  }

  /** The learning-rate schedule of these settings. */
  public LearningRateSchedule schedule() {
    return new LearningRateSchedule(learningRate, warmup, steps, MIN_LR_RATIO);
  }

  /** Whether step {@code step} (1-based, completed steps) gets a logged line. */
  public boolean logs(int step) {
    return step == 1 || step == steps || step % logEvery == 0;
  }
}
