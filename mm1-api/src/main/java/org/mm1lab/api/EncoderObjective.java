package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The pretraining objective of an {@link ImageEncoder}, as {@code mm1 pretrain-encoder} uses it:
 * CLIP's contrastive image-text loss, AIM's autoregressive pixel loss, or a plugin's own.
 *
 * <p>An objective is a {@link Block} so that its own parameters (CLIP's text tower and temperature,
 * AIM's prediction head) are initialised, trained and saved like any other block's; the encoder is
 * <em>not</em> one of its children, so saving the objective never saves the encoder and the
 * encoder's checkpoint stays loadable without it. Get one from {@link
 * ImageEncoder#pretrainingObjective(int)}.
 *
 * <p>Life cycle, as the host drives it:
 *
 * <ol>
 *   <li>{@code initialize(manager, dataType, pixelsShape, captionTokensShape)}, with {@code
 *       pixelsShape = (B, 3, H, W)} and {@code captionTokensShape = (B, L)} (objectives that do not
 *       read captions accept the pixels shape alone). Parameter shapes may not depend on {@code B}
 *       or {@code L}, so any batch works afterwards;
 *   <li>per step: {@link #loss} inside a gradient collector, backward, the optimizer's update of
 *       the encoder's and the objective's parameters, then {@link #afterStep()}.
 * </ol>
 *
 * <p>{@link Block#forward} is not the entry point: call {@link #loss}, which needs the encoder.
 * Implementations may throw {@link UnsupportedOperationException} from {@code forward}.
 *
 * @since 1.0
 */
public interface EncoderObjective extends Block {

  /**
   * The training loss of one batch.
   *
   * @param parameterStore where the parameters live (for multi-device training)
   * @param encoder the encoder being pretrained: the one that built this objective, or a copy of it
   *     at another resolution
   * @param pixels {@code (B, 3, H, W)} float, normalised as the encoder expects
   * @param captionTokens {@code (B, L)} integer token ids of each image's caption, tokenised by the
   *     host with the vocabulary passed to {@link ImageEncoder#pretrainingObjective(int)}; may be
   *     {@code null} for objectives that do not read captions (see {@link #needsCaptions()})
   * @param captionMask {@code (B, L)}, non-zero at real tokens and zero at padding (padding at the
   *     end of each row); {@code null} exactly when {@code captionTokens} is
   * @param training whether dropout, random prefixes and similar train-time behaviour apply
   * @return a scalar float array (shape {@code ()}), attached to {@code pixels}' manager
   */
  NDArray loss(
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      NDArray captionTokens,
      NDArray captionMask,
      boolean training);

  /**
   * Whether {@link #loss} reads captions; when false the host may pass {@code null} tokens and
   * mask, and draw images without text.
   */
  default boolean needsCaptions() {
    return true;
  }

  /**
   * The longest caption, in tokens, that {@link #loss} accepts (a text tower has a fixed number of
   * positions). The host truncates longer captions to this length, keeping the end token it appends
   * as the last one. Unlimited by default.
   */
  default int maxCaptionTokens() {
    return Integer.MAX_VALUE;
  }

  /**
   * Work to do after each optimizer step, outside any gradient collector, such as clamping a
   * parameter to its range (CLIP clamps its log temperature to {@code [0, ln 100]}). Does nothing
   * by default.
   */
  default void afterStep() {}
}
