package org.mm1lab.core.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One pretraining batch on the host: preprocessed images and, when the objective reads them, their
 * tokenised captions padded to the batch's longest.
 *
 * @param size images in the batch, {@code B}
 * @param imageSize the side of each square image, {@code S}
 * @param pixels {@code B * 3 * S * S} floats, channel-first per image, normalised
 * @param length caption tokens per row {@code L}, 0 when the batch has no captions
 * @param tokens {@code B * L} token ids, padded at the end of each row; empty without captions
 * @param mask {@code B * L}, 1 at real tokens and 0 at padding; empty without captions
 */
public record CaptionBatch(
    int size, int imageSize, float[] pixels, int length, int[] tokens, float[] mask) {

  /** Whether the batch carries captions. */
  public boolean hasCaptions() {
    return length > 0;
  }

  /** The images as {@code (B, 3, S, S)} float, created in {@code manager}. */
  public NDArray pixels(NDManager manager) {
    return manager.create(pixels, new Shape(size, 3, imageSize, imageSize));
  }

  /** The caption token ids as {@code (B, L)} int32, or {@code null} without captions. */
  public NDArray tokens(NDManager manager) {
    return hasCaptions() ? manager.create(tokens, new Shape(size, length)) : null;
  }

  /** The caption mask as {@code (B, L)} float, or {@code null} without captions. */
  public NDArray mask(NDManager manager) {
    return hasCaptions() ? manager.create(mask, new Shape(size, length)) : null;
  }
}
