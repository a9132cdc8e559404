package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Options;

/**
 * {@code clip-vit}: a {@link VisionTransformer} intended for CLIP-style contrastive image-text
 * pretraining. The architecture's options are those of {@link VitConfig}; the contrastive objective
 * ({@link ClipObjective}, options in {@link ClipObjectiveConfig}) is not part of the encoder and is
 * built only by {@code pretrainingObjective}.
 */
public final class ClipVitFactory extends VitFactory {

  /** The run-file name of this encoder. */
  public static final String NAME = "clip-vit";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Pre-norm ViT (strided-conv patches, learned positions, no class token) for CLIP-style"
        + " contrastive image-text pretraining";
  }

  @Override
  PretrainingSpec pretraining(Options options, EncoderContext context) {
    return ClipObjectiveConfig.from(options);
  }
}
