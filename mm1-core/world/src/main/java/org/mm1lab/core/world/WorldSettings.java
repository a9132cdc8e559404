package org.mm1lab.core.world;

/**
 * The difficulty of the synthetic world. All of it is configuration: nothing here is tuned to make
 * one ablation look better than another. Validated on construction; each message names the setting
 * and what to change.
 *
 * @param imageSize side of the square images in pixels (default 64)
 * @param minObjects fewest shapes per image, at least 1 (default 1)
 * @param maxObjects most shapes per image (default 4); fewer are placed when they do not fit
 *     without overlapping
 * @param minObjectFraction smallest shape, as a fraction of the image side (default 0.15)
 * @param maxObjectFraction largest shape, as a fraction of the image side (default 0.35)
 * @param textSize font size of written words in pixels (default 10); small text makes resolution
 *     matter
 * @param wordProbability chance that an image carries a written word (default 0.5)
 * @param altTextNoise chance that an alt-text caption is off: a wrong colour or a generic phrase
 *     (default 0.2)
 * @param minDocumentImages fewest images in an interleaved document (default 3)
 * @param maxDocumentImages most images in an interleaved document (default 5)
 * @param annotatorError chance that one VQA annotator gives a near-miss answer (default 0.15);
 *     capped so that the majority of the 10 answers stays correct
 */
public record WorldSettings(
    int imageSize,
    int minObjects,
    int maxObjects,
    double minObjectFraction,
    double maxObjectFraction,
    int textSize,
    double wordProbability,
    double altTextNoise,
    int minDocumentImages,
    int maxDocumentImages,
    double annotatorError) {

  /** The most shapes an image can hold (the captions count them in words up to this). */
  public static final int MAX_OBJECTS_LIMIT = 8;

  /** Validates every setting. */
  public WorldSettings {
    if (imageSize < 16 || imageSize > 4096) {
      throw new IllegalArgumentException(
          "image-size must be between 16 and 4096 pixels, got " + imageSize);
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
    if (!(minObjectFraction > 0 && minObjectFraction <= maxObjectFraction)) {
      throw new IllegalArgumentException(
          "min-object-size must be > 0 and <= max-object-size ("
              + maxObjectFraction
              + "), got "
              + minObjectFraction);
    }
    if (!(maxObjectFraction <= 0.8)) {
      throw new IllegalArgumentException(
          "max-object-size must be at most 0.8 of the image side, got " + maxObjectFraction);
    }
    if (minObjectFraction * imageSize < 4) {
      throw new IllegalArgumentException(
          String.format(
              "min-object-size %.3f of a %d px image is under 4 px, too small to draw a shape;"
                  + " raise min-object-size or image-size",
              minObjectFraction, imageSize));
    }
    if (textSize < 4) {
      throw new IllegalArgumentException("text-size must be at least 4 px, got " + textSize);
    }
    // A 5-letter word in a monospaced font is about 3 font sizes wide; it must fit with a margin.
    if (textSize * 3 + 4 > imageSize) {
      throw new IllegalArgumentException(
          "text-size "
              + textSize
              + " px is too large for a "
              + imageSize
              + " px image (a 5-letter word must fit): use at most "
              + Math.max(0, (imageSize - 4) / 3)
              + " or a larger image-size");
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

  /** The defaults: 64 px images, 1 to 4 shapes of 0.15 to 0.35 of the side, 10 px text. */
  public static WorldSettings defaults() {
    return new WorldSettings(64, 1, 4, 0.15, 0.35, 10, 0.5, 0.2, 3, 5, 0.15);
  }

  /** These settings with another image size (other settings unchanged). */
  public WorldSettings withImageSize(int size) {
    return new WorldSettings(
        size,
        minObjects,
        maxObjects,
        minObjectFraction,
        maxObjectFraction,
        textSize,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another range of shapes per image. */
  public WorldSettings withObjects(int min, int max) {
    return new WorldSettings(
        imageSize,
        min,
        max,
        minObjectFraction,
        maxObjectFraction,
        textSize,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }

  /** These settings with another text size. */
  public WorldSettings withTextSize(int px) {
    return new WorldSettings(
        imageSize,
        minObjects,
        maxObjects,
        minObjectFraction,
        maxObjectFraction,
        px,
        wordProbability,
        altTextNoise,
        minDocumentImages,
        maxDocumentImages,
        annotatorError);
  }
}
