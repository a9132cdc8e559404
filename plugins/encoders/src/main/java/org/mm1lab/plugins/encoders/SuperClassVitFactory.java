package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Options;

/**
 * {@code superclass-vit}: a {@link VisionTransformer} intended for SuperClass-style pretraining,
 * the caption's tokens as the image's classes ({@link SuperClassObjective}). The architecture's
 * options are those of {@link VitConfig}; the objective's one option, {@code pooling = mean | max},
 * says how patch features become one logit per token. The objective is built only by {@code
 * pretrainingObjective}.
 */
public final class SuperClassVitFactory extends VitFactory {

  /** The run-file name of this encoder. */
  public static final String NAME = "superclass-vit";

  /** The objective's option: how patch features become one logit per token. */
  static final String POOLING = "pooling";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Pre-norm ViT (strided-conv patches, learned positions, no class token) for"
        + " SuperClass-style pretraining: the caption's tokens as the image's classes";
  }

  @Override
  PretrainingSpec pretraining(Options options, EncoderContext context) {
    SuperClassObjective.Pooling pooling =
        options.getEnum(SuperClassObjective.Pooling.class, POOLING);
    return (encoder, vocabularySize) ->
        new SuperClassObjective(encoder.config().width(), vocabularySize, pooling);
  }
}
