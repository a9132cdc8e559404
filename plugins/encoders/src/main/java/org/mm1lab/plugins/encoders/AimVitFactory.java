package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Options;

/**
 * {@code aim-vit}: a {@link VisionTransformer} intended for AIM-style autoregressive pixel
 * pretraining, in which the transformer runs with a prefix attention mask (see {@link
 * VisionTransformer#encode(ai.djl.training.ParameterStore, ai.djl.ndarray.NDArray,
 * ai.djl.ndarray.NDArray, boolean)}). Downstream, as in MM1, it runs with full attention. The
 * architecture's options are those of {@link VitConfig}; the objective ({@link AimObjective},
 * options in {@link AimObjectiveConfig}) is built only by {@code pretrainingObjective}.
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

  @Override
  PretrainingSpec pretraining(Options options, EncoderContext context) {
    return AimObjectiveConfig.from(options, context.seed());
  }
}
