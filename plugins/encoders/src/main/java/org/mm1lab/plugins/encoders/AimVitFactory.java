package org.mm1lab.plugins.encoders;

/**
 * {@code aim-vit}: a {@link VisionTransformer} intended for AIM-style autoregressive pixel
 * pretraining, in which the transformer runs with a prefix attention mask (see {@link
 * VisionTransformer#encode(ai.djl.training.ParameterStore, ai.djl.ndarray.NDArray,
 * ai.djl.ndarray.NDArray, boolean)}). Downstream, as in MM1, it runs with full attention. The
 * architecture and options are those of {@link VitConfig}.
 */
public final class AimVitFactory extends VitFactory {

  /** The run-file name of this encoder. */
  public static final String NAME = "aim-vit";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Pre-norm ViT (strided-conv patches, learned positions, no class token) for AIM-style"
        + " autoregressive pixel pretraining with prefix attention";
  }
}
