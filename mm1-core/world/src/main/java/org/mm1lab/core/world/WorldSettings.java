package org.mm1lab.core.world;

/**
 * The difficulty of the synthetic world. All of it is configuration: nothing here is tuned to make
 * one ablation look better than another. Validated on construction; each message names the setting
 * and what to change.
 *
 * <p>A scene has no pixel size: shapes and written words are sized and placed as fractions of the
 * image side, and the renderer draws them at whatever resolution is asked for. At the encoder's own
 * resolution (the default) a larger encoder input therefore shows more: a shape of 0.08 of the side
 * is 5 pixels at 64 px and 10 at 128 px, a word written 0.06 of the side high is a smudge at 64 px
 * and legible at 128 px.
 *
 * @param renderSize side in pixels at which images are drawn, or {@link #AT_CONSUMER_SIZE} (the
 *     default, written {@code auto}) to draw each image at the size its consumer (the encoder)
 *     uses; a fixed size is resized to the encoder's afterwards, as a photograph is
 * @param minObjects fewest shapes per image, at least 1 (default 1)
 * @param maxObjects most shapes per image (default 4); fewer are placed when they do not fit
 *     without overlapping
 * @param minObjectFraction smallest shape, as a fraction of the image side (default 0.08)
 * @param maxObjectFraction largest shape, as a fraction of the image side (default 0.35)
 * @param minTextFraction smallest written word: font size as a fraction of the image side (default
 *     0.06: 4 px at 64 px, where letters are hard to tell apart, 8 px at 128 px, where they are
 *     not)
 * @param maxTextFraction largest written word (default 0.16, 10 px at 64 px)
 * @param wordProbability chance that an image carries a written word (default 0.5)
 * @param altTextNoise chance that an alt-text caption is off: a wrong colour or a generic phrase
 *     (default 0.2)
 * @param minDocumentImages fewest images in an interleaved document (default 3)
 * @param maxDocumentImages most images in an interleaved document (default 5)
 * @param annotatorError chance that one VQA annotator gives a near-miss answer (default 0.15);
 *     capped so that the majority of the 10 answers stays correct
 */
public record WorldSettings(
    int renderSize,
    int minObjects,
    int maxObjects,
    double minObjectFraction,
    double maxObjectFraction,
    double minTextFraction,
    double maxTextFraction,
    double wordProbability,
    double altTextNoise,
    int minDocumentImages,
    int maxDocumentImages,
    double annotatorError) {

  /** The most shapes an image can hold (the captions count them in words up to this). */
  public static final int MAX_OBJECTS_LIMIT = 8;

  /** {@link #renderSize()} that draws each image at the size its consumer asks for. */
  public static final int AT_CONSUMER_SIZE = 0;

  /**
   * The side an image is drawn at when it follows its consumer's size and no consumer says (a
   * preview, an export without a size).
   */
  public static final int PREVIEW_SIZE = 64;

  /** The largest written word: a 5-letter word at this size just fits across the image. */
  static final double MAX_TEXT_LIMIT = 0.3;

  /** Validates every setting. */
  public WorldSettings {
    if (renderSize != AT_CONSUMER_SIZE && (renderSize < 16 || renderSize > 4096)) {
      throw new IllegalArgumentException(
          "render-size must be auto or between 16 and 4096 pixels, got " + renderSize);
    }
    if (minObjects < 1) {
      throw new IllegalArgumentException("min-objects must be at least 1, got " + minObjects);
    }
    if (maxObjects < minObjects || maxObjects > MAX_OBJECTS_LIMIT) {
      throw new IllegalArgumentException(
          "max-objects must be between min-objects ("
              + minObjects
              + ") and "
              + MAX_OBJECTS_LIMIT
              + ", got "
              + maxObjects);
    }
    if (!(minObjectFraction >= 0.02 && minObjectFraction <= maxObjectFraction)) {
      throw new IllegalArgumentException(
          "min-object-size must be at least 0.02 of the image side and <= max-object-size ("
              + maxObjectFraction
              + "), got "
              + minObjectFraction);
    }
    if (!(maxObjectFraction <= 0.8)) {
      throw new IllegalArgumentException(
          "max-object-size must be at most 0.8 of the image side, got " + maxObjectFraction);
    }
    if (!(minTextFraction >= 0.02 && minTextFraction <= maxTextFraction)) {
      throw new IllegalArgumentException(
          "min-text-size must be at least 0.02 of the image side and <= max-text-size ("
              + maxTextFraction
              + "), got "
              + minTextFraction);
    }
    if (!(maxTextFraction <= MAX_TEXT_LIMIT)) {
      throw new IllegalArgumentException(
          "max-text-size must be at most "
              + MAX_TEXT_LIMIT
              + " of the image side (a 5-letter word must fit across it), got "
              + maxTextFraction);
    }
    checkProbability("word-probability", wordProbability);
    checkProbability("alt-text-noise", altTextNoise);
    checkProbability("annotator-error", annotatorError);
    if (minDocumentImages < 1) {
      throw new IllegalArgumentException(
          "min-document-images must be at least 1, got " + minDocumentImages);
    }
    if (maxDocumentImages < minDocumentImages || maxDocumentImages > 16) {
      throw new IllegalArgumentException(
          "max-document-images must be between min-document-images ("
              + minDocumentImages
              + ") and 16, got "
              + maxDocumentImages);
    }
  }

  private static void checkProbability(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
  }

  /**
   * The defaults: drawn at the encoder's size, 1 to 4 shapes of 0.08 to 0.35 of the side, words
   * 0.06 to 0.16 of the side high.
   */
  public static WorldSettings defaults() {
    return new WorldSettings(AT_CONSUMER_SIZE, 1, 4, 0.08, 0.35, 0.06, 0.16, 0.5, 0.2, 3, 5, 0.15);
  }

  /** The side to draw at for a consumer of {@code consumerSize} pixels (0: none said). */
  public int renderSizeFor(int consumerSize) {
    return renderSizeFor(renderSize, consumerSize);
  }

  /** The side to draw at with this render size for a consumer of {@code consumerSize} pixels. */
  static int renderSizeFor(int renderSize, int consumerSize) {
    if (renderSize != AT_CONSUMER_SIZE) {
      return renderSize;
    }
    return consumerSize > 0 ? consumerSize : PREVIEW_SIZE;
  }

  /** These settings with another render size ({@link #AT_CONSUMER_SIZE} for the consumer's). */
  public WorldSettings withRenderSize(int size) {
    return new WorldSettings(
        size,
        minObjects,
        maxObjects,
        minObjectFraction,
        maxObjectFraction,
        minTextFraction,
        maxTextFraction,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another range of shapes per image. */
  public WorldSettings withObjects(int min, int max) {
    return new WorldSettings(
        renderSize,
        min,
        max,
        minObjectFraction,
        maxObjectFraction,
        minTextFraction,
        maxTextFraction,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another range of shape sizes (fractions of the side). */
  public WorldSettings withObjectSizes(double min, double max) {
    return new WorldSettings(
        renderSize,
        minObjects,
        maxObjects,
        min,
        max,
        minTextFraction,
        maxTextFraction,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another range of text sizes (fractions of the side). */
  public WorldSettings withTextSizes(double min, double max) {
    return new WorldSettings(
        renderSize,
        minObjects,
        maxObjects,
        minObjectFraction,
        maxObjectFraction,
        min,
        max,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another chance of a written word. */
  public WorldSettings withWordProbability(double p) {
    return new WorldSettings(
        renderSize,
        minObjects,
        maxObjects,
        minObjectFraction,
        maxObjectFraction,
        minTextFraction,
        maxTextFraction,
        p,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }
}
