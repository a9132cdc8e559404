package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One batch for a {@link Decoder}.
 *
 * @param tokens {@code (B, L)} int token ids; image-slot positions hold the tokenizer's image-slot
 *     id, which the decoder ignores
 * @param attentionMask {@code (B, L)} 1 for real tokens, 0 for padding (left or right); padding
 *     positions are never attended to
 * @param imageSlots {@code (B, L)} 1 where the position is an image slot, or {@code null} for a
 *     text-only batch
 * @param imageTokens {@code (M, T, D_llm)} connector outputs for the {@code M} images of the
 *     batch, in the row-major order of their slots: the {@code M * T} image-slot positions of
 *     {@code imageSlots}, read row by row, take these vectors in order; {@code null} when {@code
 *     imageSlots} is
 */
public record DecoderInput(
    NDArray tokens, NDArray attentionMask, NDArray imageSlots, NDArray imageTokens) {

  public DecoderInput {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(attentionMask, "attentionMask");
    if ((imageSlots == null) != (imageTokens == null)) {
      throw new IllegalArgumentException("imageSlots and imageTokens must both be set or both null");
    }
  }

  /** A text-only batch. */
  public static DecoderInput text(NDArray tokens, NDArray attentionMask) {
    return new DecoderInput(tokens, attentionMask, null, null);
  }
}
