package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.mm1lab.api.ImageEncoder;

/** What the objectives that learn from captions ask of their inputs, checked in one place. */
final class CaptionedImages {

  private CaptionedImages() {}

  /**
   * Checks that there are captions, one per image.
   *
   * @param objective the objective's name in messages, e.g. {@code CLIP}
   * @throws IllegalArgumentException when the tokens or mask are missing or the counts differ
   */
  static void requireOnePerImage(
      String objective, NDArray pixels, NDArray captionTokens, NDArray captionMask) {
    if (captionTokens == null || captionMask == null) {
      throw new IllegalArgumentException(
          "the " + objective + " objective needs caption tokens and a mask");
    }
    long batch = pixels.getShape().get(0);
    if (captionTokens.getShape().get(0) != batch) {
      throw new IllegalArgumentException(
          "need one caption per image, got "
              + batch
              + " images and "
              + captionTokens.getShape().get(0)
              + " captions");
    }
  }

  /**
   * The encoder's patch features, {@code (B, N, D_enc)}.
   *
   * @param objective the objective's name in messages
   * @param encoderWidth the width the objective was built for
   * @throws IllegalArgumentException when the encoder's width differs
   */
  static NDArray patchFeatures(
      String objective,
      int encoderWidth,
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      boolean training) {
    if (encoder.outputGrid().channels() != encoderWidth) {
      throw new IllegalArgumentException(
          "this "
              + objective
              + " objective was built for encoder width "
              + encoderWidth
              + ", got an encoder of "
              + encoder.outputGrid());
    }
    return encoder.encode(parameterStore, pixels, training);
  }
}
