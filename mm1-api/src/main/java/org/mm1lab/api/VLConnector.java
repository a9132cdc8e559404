package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 *   <li>output: one float array {@code (B, T, D_llm)} with {@code T = }{@link #tokens()} and
 *       {@code D_llm = }{@link #outputWidth()}.
 * </ul>
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
}
