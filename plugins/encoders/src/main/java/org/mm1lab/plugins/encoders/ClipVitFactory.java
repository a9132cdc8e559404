package org.mm1lab.plugins.encoders;

/**
 * {@code clip-vit}: a {@link VisionTransformer} intended for CLIP-style contrastive image-text
 * pretraining. The contrastive objective itself is not part of the encoder; the architecture and
 * options are those of {@link VitConfig}.
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
}
