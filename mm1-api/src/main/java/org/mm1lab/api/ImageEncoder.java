package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An image encoder: a {@link Block} that turns normalised pixels into patch features.
 *
 * <p>Shape contract of {@link Block#forward(ParameterStore, NDList, boolean)}:
 *
 * <ul>
 *   <li>input: one float array {@code (B, 3, H, W)} with {@code H = W = }{@link #imageSize()},
 *       normalised as the encoder expects;
 *   <li>output: one float array {@code (B, N, D_enc)} with {@code N = outputGrid().patches()} and
 *       {@code D_enc = outputGrid().channels()}, patches in raster order.
 * </ul>
 */
public interface ImageEncoder extends Block {

  /** The side length in pixels of the square images this encoder takes. */
  int imageSize();

  /** The layout of the patch features this encoder produces. */
  PatchGrid outputGrid();

  /**
   * Encodes a batch of images.
   *
   * @param parameterStore where the parameters live (for multi-device training)
   * @param pixels {@code (B, 3, H, W)} float
   * @param training whether dropout and similar train-time behaviour apply
   * @return {@code (B, N, D_enc)} patch features
   */
  default NDArray encode(ParameterStore parameterStore, NDArray pixels, boolean training) {
    return forward(parameterStore, new NDList(pixels), training).singletonOrThrow();
  }
}
