package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.Options;

/**
 * The sizes of {@code clip-vit}'s contrastive objective ({@link ClipObjective}), validated.
 *
 * @param embedDim width of the shared image-text embedding space both towers project into
 * @param textWidth width of the text transformer
 * @param textLayers number of pre-norm blocks of the text transformer
 * @param textHeads attention heads of the text transformer; divides {@code textWidth}
 * @param maxTextLength the longest caption, in tokens, the text tower has positions for
 * @param hardNegatives minimal-edit negative captions per image ({@link CaptionNegatives}); 0 is
 *     plain CLIP
 * @param superclassWeight weight of SuperClass's loss with max pooling over patches ({@link
 *     SuperClassObjective}) added to the contrastive loss; 0 is plain CLIP
 */
record ClipObjectiveConfig(
    int embedDim,
    int textWidth,
    int textLayers,
    int textHeads,
    int maxTextLength,
    int hardNegatives,
    double superclassWeight)
    implements PretrainingSpec {

  static final String EMBED_DIM = "embed-dim";
  static final String TEXT_WIDTH = "text-width";
  static final String TEXT_LAYERS = "text-layers";
  static final String TEXT_HEADS = "text-heads";
  static final String MAX_TEXT_LENGTH = "max-text-length";
  static final String HARD_NEGATIVES = "hard-negatives";
  static final String SUPERCLASS_WEIGHT = "superclass-weight";

  /** The text MLP's hidden width as a multiple of {@code textWidth}, as in CLIP. */
  static final int TEXT_MLP_RATIO = 4;

  ClipObjectiveConfig {
    if (embedDim < 1 || textWidth < 1 || textLayers < 1 || textHeads < 1 || maxTextLength < 1) {
      throw new IllegalArgumentException(
          "CLIP objective sizes must be positive, got embed-dim "
              + embedDim
              + ", text-width "
              + textWidth
              + ", text-layers "
              + textLayers
              + ", text-heads "
              + textHeads
              + ", max-text-length "
              + maxTextLength);
    }
    if (hardNegatives < 0) {
      throw new IllegalArgumentException("hard-negatives must be 0 or more, got " + hardNegatives);
    }
    if (!(superclassWeight >= 0) || Double.isInfinite(superclassWeight)) {
      throw new IllegalArgumentException(
          "superclass-weight must be 0 or more, got " + superclassWeight);
    }
    if (textWidth % textHeads != 0) {
      throw new IllegalArgumentException(
          "text-heads " + VitConfig.headsProblem(textWidth, textHeads));
    }
  }

  /** Reads and checks every option of the objective, naming the offending key. */
  static ClipObjectiveConfig from(Options options) {
    int embedDim = options.getInt(EMBED_DIM);
    int textWidth = options.getInt(TEXT_WIDTH);
    int textLayers = options.getInt(TEXT_LAYERS);
    int textHeads = options.getInt(TEXT_HEADS);
    int maxTextLength = options.getInt(MAX_TEXT_LENGTH);
    int hardNegatives = options.getInt(HARD_NEGATIVES);
    if (hardNegatives < 0) {
      throw options.invalid(HARD_NEGATIVES, "must be 0 or more, got " + hardNegatives);
    }
    double superclassWeight = options.getDouble(SUPERCLASS_WEIGHT);
    if (!(superclassWeight >= 0) || Double.isInfinite(superclassWeight)) {
      throw options.invalid(
          SUPERCLASS_WEIGHT, "must be a number, 0 or more, got " + superclassWeight);
    }
    for (String key : new String[] {EMBED_DIM, TEXT_WIDTH, TEXT_LAYERS, TEXT_HEADS}) {
      if (options.getInt(key) < 1) {
        throw options.invalid(key, "must be positive, got " + options.getInt(key));
      }
    }
    if (maxTextLength < 2) {
      throw options.invalid(
          MAX_TEXT_LENGTH, "must be at least 2 (a token and an end token), got " + maxTextLength);
    }
    String headsProblem = VitConfig.headsProblem(textWidth, textHeads);
    if (headsProblem != null) {
      throw options.invalid(
          TEXT_HEADS,
          headsProblem.replace("heads =", "text-heads =").replace("width", "text-width"));
    }
    return new ClipObjectiveConfig(
        embedDim, textWidth, textLayers, textHeads, maxTextLength, hardNegatives, superclassWeight);
  }

  @Override
  public EncoderObjective build(VisionTransformer encoder, int vocabularySize) {
    if (vocabularySize < 1) {
      throw new IllegalArgumentException(
          "the CLIP objective needs a caption vocabulary, got size " + vocabularySize);
    }
    return new ClipObjective(this, encoder.config().width(), vocabularySize);
  }
}
