package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * SuperClass's objective, {@code superclass-vit}'s pretraining: the caption's tokens as the classes
 * of the image (Huang et al., 2024, "Classification done right for vision-language pre-training";
 * before it, Joulin et al., 2016, learned visual features from the words of photo captions).
 *
 * <p>For a batch of {@code B} images and their captions:
 *
 * <ol>
 *   <li>one logit per caption-vocabulary token ({@code V}) from the encoder's patch features {@code
 *       (B, N, D_enc)} and a {@code Linear(D_enc -> V)} with bias, pooled over the patches in one
 *       of two ways ({@link Pooling}): {@code mean} averages the features, then classifies (as
 *       SuperClass does); {@code max} classifies every patch and keeps each token's highest logit
 *       over the patches (multiple-instance pooling);
 *   <li>the target of each image is its caption's distinct tokens, each with the same share of a
 *       total probability of one (a caption of {@code k} distinct tokens gives each {@code 1 / k});
 *   <li>loss = the softmax cross-entropy between logits and target, averaged over the batch.
 * </ol>
 *
 * <p>Why it is here: every word of a caption is a label the encoder must see in the image, so a
 * shape named in the caption pulls the encoder towards seeing that shape, whatever the other images
 * of the batch are. CLIP's contrastive loss only asks that an image's caption beat the batch's
 * other captions, which its most salient words (colours, counts) already do. Tokens every caption
 * has (function words, the end token) cost the same for every image, so they teach the encoder
 * nothing and only shift the classifier's biases. SuperClass weights tokens by inverse document
 * frequency; uniform weights keep the objective free of corpus statistics (and of state a resumed
 * run would need).
 *
 * <p>Why {@code max}: a shape that covers 2 of 64 patches moves the averaged features by about a
 * thirtieth of what it does to its own patches, so with mean pooling the classifier can find it
 * only through features the whole image shares. Classifying each patch asks every patch to say what
 * it shows, which is what a connector and a decoder that answer "what shape is the green object?"
 * need from the encoder.
 *
 * <p>Parameters: {@code classifier} (weight {@code (V, D_enc)} and bias {@code (V)}).
 */
final class SuperClassObjective extends AbstractBlock implements EncoderObjective {

  private static final byte VERSION = 1;

  /** How patch features become one logit per token. */
  enum Pooling {
    /** Average the patch features, then classify. */
    MEAN,
    /** Classify each patch, then keep each token's highest logit over the patches. */
    MAX
  }

  private final int encoderWidth;
  private final int vocabularySize;
  private final Pooling pooling;
  private final Linear classifier;

  /**
   * @param encoderWidth {@code D_enc}, the width of the encoder's patch features
   * @param vocabularySize caption token ids lie in {@code [0, vocabularySize)}
   */
  SuperClassObjective(int encoderWidth, int vocabularySize) {
    this(encoderWidth, vocabularySize, Pooling.MEAN);
  }

  /**
   * @param encoderWidth {@code D_enc}, the width of the encoder's patch features
   * @param vocabularySize caption token ids lie in {@code [0, vocabularySize)}
   * @param pooling how patch features become one logit per token
   */
  SuperClassObjective(int encoderWidth, int vocabularySize, Pooling pooling) {
    super(VERSION);
    if (vocabularySize < 1) {
      throw new IllegalArgumentException(
          "the SuperClass objective needs a caption vocabulary, got size " + vocabularySize);
    }
    this.encoderWidth = encoderWidth;
    this.vocabularySize = vocabularySize;
    this.pooling = pooling;
    classifier = addChildBlock("classifier", Linear.builder().setUnits(vocabularySize).build());
  }

  @Override
  public NDArray loss(
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      NDArray captionTokens,
      NDArray captionMask,
      boolean training) {
    CaptionedImages.requireOnePerImage("SuperClass", pixels, captionTokens, captionMask);
    return lossOfLogits(
        logits(parameterStore, encoder, pixels, training), captionTokens, captionMask);
  }

  /**
   * The loss from patch features another objective already computed ({@code (B, N, D_enc)}), so
   * that it can be added to that objective's loss without encoding the images twice.
   */
  NDArray lossOfPatches(
      ParameterStore parameterStore,
      NDArray patches,
      NDArray captionTokens,
      NDArray captionMask,
      boolean training) {
    return lossOfLogits(
        logitsOfPatches(parameterStore, patches, training), captionTokens, captionMask);
  }

  private NDArray lossOfLogits(NDArray logits, NDArray captionTokens, NDArray captionMask) {
    NDArray target = targets(captionTokens, captionMask);
    NDArray crossEntropy = logits.logSoftmax(1).mul(target).sum().neg();
    return Scalars.divide(crossEntropy, (double) logits.getShape().get(0));
  }

  /** One logit per vocabulary token {@code (B, V)}, pooled over the patches as configured. */
  NDArray logits(
      ParameterStore parameterStore, ImageEncoder encoder, NDArray pixels, boolean training) {
    NDArray patches =
        CaptionedImages.patchFeatures(
            "SuperClass", encoderWidth, parameterStore, encoder, pixels, training);
    return logitsOfPatches(parameterStore, patches, training);
  }

  private NDArray logitsOfPatches(
      ParameterStore parameterStore, NDArray patches, boolean training) {
    if (pooling == Pooling.MEAN) {
      NDArray pooled = patches.mean(new int[] {1});
      return classifier.forward(parameterStore, new NDList(pooled), training).singletonOrThrow();
    }
    long batch = patches.getShape().get(0);
    long count = patches.getShape().get(1);
    NDArray perPatch =
        classifier
            .forward(
                parameterStore, new NDList(patches.reshape(batch * count, encoderWidth)), training)
            .singletonOrThrow();
    return perPatch.reshape(batch, count, vocabularySize).max(new int[] {1});
  }

  /**
   * Each caption's distinct real tokens, sharing a probability of one: {@code (B, V)} float.
   *
   * @throws IllegalArgumentException for a token outside the vocabulary or a caption without any
   *     real token
   */
  NDArray targets(NDArray captionTokens, NDArray captionMask) {
    long[] shape = captionTokens.getShape().getShape();
    int rows = Math.toIntExact(shape[0]);
    int length = Math.toIntExact(shape[1]);
    long[] tokens = captionTokens.toType(DataType.INT64, false).toLongArray();
    float[] mask = captionMask.toType(DataType.FLOAT32, false).toFloatArray();
    float[] target = new float[rows * vocabularySize];
    for (int r = 0; r < rows; r++) {
      int distinct = 0;
      for (int i = 0; i < length; i++) {
        if (mask[r * length + i] == 0) {
          continue;
        }
        long token = tokens[r * length + i];
        if (token < 0 || token >= vocabularySize) {
          throw new IllegalArgumentException(
              "caption token ids must lie in [0, " + vocabularySize + "), got " + token);
        }
        int at = r * vocabularySize + (int) token;
        if (target[at] == 0) {
          target[at] = 1;
          distinct++;
        }
      }
      if (distinct == 0) {
        throw new IllegalArgumentException("caption " + r + " of the batch has no real token");
      }
      for (int v = 0; v < vocabularySize; v++) {
        target[r * vocabularySize + v] /= distinct;
      }
    }
    return captionTokens
        .getManager()
        .create(target, new Shape(rows, vocabularySize))
        .toDevice(captionTokens.getDevice(), false);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "the SuperClass objective needs the encoder: call loss(...), not forward(...)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape()};
  }

  /** Expects the pixels shape {@code (B, 3, H, W)}; the caption shape, if given, is not needed. */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    classifier.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoderWidth));
  }
}
