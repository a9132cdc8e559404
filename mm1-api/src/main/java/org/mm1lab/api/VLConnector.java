package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A vision-language connector: a {@link Block} that maps an encoder's patch features into image
 * tokens in the decoder's embedding space.
 *
 * <p>Shape contract of {@link Block#forward(ParameterStore, NDList, boolean)}:
 *
 * <ul>
 *   <li>input: one float array {@code (B, N, D_enc)}, patches in raster order on the grid the
 *       factory was given in {@link ConnectorContext#encoderGrid()};
 *   <li>output: one float array {@code (B, T, D_llm)} with {@code T = }{@link #tokens()} and {@code
 *       D_llm = }{@link #outputWidth()}.
 * </ul>
 *
 * @since 1.0
 */
public interface VLConnector extends Block {

  /** The number of image tokens {@code T} each image becomes. */
  int tokens();

  /** The width {@code D_llm} of each image token; equals the decoder's width. */
  int outputWidth();

  /**
   * Maps patch features to image tokens.
   *
   * @param parameterStore where the parameters live
   * @param patchFeatures {@code (B, N, D_enc)}
   * @param training whether train-time behaviour applies
   * @return {@code (B, T, D_llm)}
   */
  default NDArray connect(ParameterStore parameterStore, NDArray patchFeatures, boolean training) {
    return forward(parameterStore, new NDList(patchFeatures), training).singletonOrThrow();
  }

  /**
   * Loads pretrained weights named by this component's own options (a {@code checkpoint} file, say)
   * into its parameters. The host calls it once per run, after {@link Block#initialize} and before
   * training or generation; it is skipped when the run resumes from one of its own checkpoints,
   * which hold every parameter anyway.
   *
   * @param manager temporaries of the load live in a sub-manager of it
   * @return whether weights were loaded ({@code false}, the default, when none are configured)
   * @throws java.io.UncheckedIOException when the configured file cannot be read
   * @throws RuntimeException when the file does not fit this component's sizes, with a message
   *     listing every missing, unexpected and mis-shaped tensor (the plugin toolkit's {@code
   *     WeightMismatchException} is one)
   */
  default boolean loadPretrained(NDManager manager) {
    return false;
  }
}
