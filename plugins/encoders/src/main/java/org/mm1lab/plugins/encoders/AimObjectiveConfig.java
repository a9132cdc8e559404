package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.Options;

/**
 * The options of {@code aim-vit}'s autoregressive objective ({@link AimObjective}), validated.
 *
 * @param headWidth hidden width of the MLP head that predicts the next patch's pixels
 * @param normalizeTargets whether each target patch is normalised to zero mean and unit variance
 *     (AIM's choice, which makes the loss independent of patch contrast)
 * @param seed seeds the draw of the prefix length, one per training batch
 */
record AimObjectiveConfig(int headWidth, boolean normalizeTargets, long seed)
    implements PretrainingSpec {

  static final String HEAD_WIDTH = "head-width";
  static final String NORMALIZE_TARGETS = "normalize-targets";

  AimObjectiveConfig {
    if (headWidth < 1) {
      throw new IllegalArgumentException("head-width must be positive, got " + headWidth);
    }
  }

  /** Reads and checks every option of the objective; the seed is the run's. */
  static AimObjectiveConfig from(Options options, long seed) {
    int headWidth = options.getInt(HEAD_WIDTH);
    boolean normalizeTargets = options.getBoolean(NORMALIZE_TARGETS);
    if (headWidth < 1) {
      throw options.invalid(HEAD_WIDTH, "must be positive, got " + headWidth);
    }
    return new AimObjectiveConfig(headWidth, normalizeTargets, seed);
  }

  @Override
  public EncoderObjective build(VisionTransformer encoder, int vocabularySize) {
    if (encoder.config().patches() < 2) {
      throw new IllegalArgumentException(
          "AIM pretraining needs at least 2 patches to predict one from another; "
              + encoder
              + " has 1: raise image-size or lower patch-size");
    }
    return new AimObjective(this, encoder.config().patchSize(), encoder.config().width());
  }
}
