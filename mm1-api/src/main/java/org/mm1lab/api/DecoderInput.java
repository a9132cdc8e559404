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
 * @param imageTokens {@code (M, T, D_llm)} connector outputs for the {@code M} images of the batch,
 *     in the row-major order of their slots: the {@code M * T} image-slot positions of {@code
 *     imageSlots}, read row by row, take these vectors in order; {@code null} when {@code
 *     imageSlots} is
 * @param logitPositions {@code (N)} int64 indices into the {@code B * L} positions read row by row,
 *     in increasing order: the only positions whose logits the caller reads (training reads only
 *     positions with a target, a small share of a multimodal batch whose image slots have none), or
 *     {@code null} for every position. A decoder may honour it by returning {@code (N, V)} logits,
 *     row {@code i} for position {@code logitPositions[i]}, and skip the output head (the largest
 *     product of a small model) elsewhere; or ignore it and return {@code (B, L, V)}. Callers
 *     accept both; the logits at the listed positions must be the same either way. {@link
 *     Experimental}: the newest part of the decoder contract, a speed hint whose form (indices
 *     rather than a mask, one list for the whole batch) follows what today's trainer needs.
 * @since 1.0
 */
public record DecoderInput(
    NDArray tokens,
    NDArray attentionMask,
    NDArray imageSlots,
    NDArray imageTokens,
    @Experimental NDArray logitPositions) {

  /** Experimental for its {@code logitPositions}; the four-array constructor is stable. */
  @Experimental
  public DecoderInput {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(attentionMask, "attentionMask");
    if ((imageSlots == null) != (imageTokens == null)) {
      throw new IllegalArgumentException(
          "imageSlots and imageTokens must both be set or both null");
    }
    if (logitPositions != null && logitPositions.getShape().dimension() != 1) {
      throw new IllegalArgumentException(
          "logitPositions must be (N) indices, got " + logitPositions.getShape());
    }
  }

  /** A batch whose logits are wanted at every position. */
  public DecoderInput(
      NDArray tokens, NDArray attentionMask, NDArray imageSlots, NDArray imageTokens) {
    this(tokens, attentionMask, imageSlots, imageTokens, null);
  }

  /** A text-only batch. */
  public static DecoderInput text(NDArray tokens, NDArray attentionMask) {
    return new DecoderInput(tokens, attentionMask, null, null, null);
  }

  /**
   * This batch with its logits wanted only at {@code positions} (see {@link #logitPositions}).
   * Experimental, as the positions are.
   *
   * @param positions {@code (N)} int64 indices into the {@code B * L} positions, or {@code null}
   *     for every position
   */
  @Experimental
  public DecoderInput withLogitPositions(NDArray positions) {
    return new DecoderInput(tokens, attentionMask, imageSlots, imageTokens, positions);
  }
}
