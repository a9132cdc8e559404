package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * CLIP's symmetric contrastive image-text loss, {@code clip-vit}'s pretraining objective.
 *
 * <p>For a batch of {@code B} images and their {@code B} captions:
 *
 * <ol>
 *   <li>image embedding: the encoder's patch features {@code (B, N, D_enc)}, averaged over the
 *       patches (the ViT has no class token), then a bias-free {@code Linear(D_enc -> E)};
 *   <li>text embedding: the {@link TextTower} summary {@code (B, W)} (the last real token), then a
 *       bias-free {@code Linear(W -> E)};
 *   <li>both L2-normalised; {@code logits = exp(s) * img . txt^T}, {@code (B, B)}, with {@code s} a
 *       learnable log-scale initialised to {@code ln(1 / 0.07)};
 *   <li>loss = the mean of the cross-entropy over rows (each image must pick its caption) and over
 *       columns (each caption must pick its image), the targets being the diagonal.
 * </ol>
 *
 * <p>After each optimizer step, {@link #afterStep()} clamps {@code s} to {@code [0, ln 100]}, so
 * the logits never scale by more than 100, which would make training unstable. A batch should not
 * hold two copies of the same caption: they would be counted as negatives of each other.
 *
 * <p>Parameters: {@code imageProjection}, {@code textTower} (token and position embeddings, blocks,
 * final norm), {@code textProjection}, {@code logScale} {@code (1)}.
 */
final class ClipObjective extends AbstractBlock implements EncoderObjective {

  private static final byte VERSION = 1;

  /** CLIP's initial temperature 0.07, as a log-scale. */
  static final float INITIAL_LOG_SCALE = (float) Math.log(1 / 0.07);

  /** The largest log-scale: logits are scaled by at most 100. */
  static final float MAX_LOG_SCALE = (float) Math.log(100);

  /** Keeps the normalisation finite for an all-zero embedding. */
  private static final float NORM_EPSILON = 1e-12f;

  private final ClipObjectiveConfig config;
  private final int encoderWidth;
  private final Linear imageProjection;
  private final TextTower textTower;
  private final Linear textProjection;
  private final Parameter logScale;
  private final SuperClassObjective patchClassifier;

  /**
   * @param config the objective's sizes
   * @param encoderWidth {@code D_enc}, the width of the encoder's patch features
   * @param vocabularySize caption token ids lie in {@code [0, vocabularySize)}
   */
  ClipObjective(ClipObjectiveConfig config, int encoderWidth, int vocabularySize) {
    super(VERSION);
    this.config = config;
    this.encoderWidth = encoderWidth;
    imageProjection =
        addChildBlock(
            "imageProjection", Linear.builder().setUnits(config.embedDim()).optBias(false).build());
    textTower = addChildBlock("textTower", new TextTower(vocabularySize, config));
    textProjection =
        addChildBlock(
            "textProjection", Linear.builder().setUnits(config.embedDim()).optBias(false).build());
    logScale =
        addParameter(
            Parameter.builder()
                .setName("logScale")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new ConstantInitializer(INITIAL_LOG_SCALE))
                .optShape(new Shape(1))
                .build());
    patchClassifier =
        config.superclassWeight() > 0
            ? addChildBlock(
                "patchClassifier",
                new SuperClassObjective(
                    encoderWidth, vocabularySize, SuperClassObjective.Pooling.MAX))
            : null;
  }

  /** The added patch-classification objective, or null when {@code superclass-weight} is 0. */
  SuperClassObjective patchClassifier() {
    return patchClassifier;
  }

  /** The objective's sizes. */
  ClipObjectiveConfig config() {
    return config;
  }

  @Override
  public NDArray loss(
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      NDArray captionTokens,
      NDArray captionMask,
      boolean training) {
    CaptionedImages.requireOnePerImage("CLIP", pixels, captionTokens, captionMask);
    NDArray patches =
        CaptionedImages.patchFeatures(
            "CLIP", encoderWidth, parameterStore, encoder, pixels, training);
    NDArray images = project(parameterStore, patches, training);
    NDArray texts = textEmbeddings(parameterStore, captionTokens, captionMask, training);
    NDArray s = parameterStore.getValue(logScale, pixels.getDevice(), training);
    NDArray negatives = null;
    if (config.hardNegatives() > 0) {
      NDArray[] edited = negativeCaptions(captionTokens, captionMask);
      if (edited != null) {
        negatives = textEmbeddings(parameterStore, edited[0], edited[1], training);
      }
    }
    NDArray contrastive = contrastiveLoss(images, texts, negatives, s);
    if (patchClassifier == null) {
      return contrastive;
    }
    NDArray classification =
        patchClassifier.lossOfPatches(
            parameterStore, patches, captionTokens, captionMask, training);
    return contrastive.add(Scalars.multiply(classification, config.superclassWeight()));
  }

  /**
   * The batch's hard negative captions as {@code {tokens, mask}} {@code (K, L)}, or null when no
   * caption allows an edit. The edits are drawn from a stream seeded by the batch's tokens, so a
   * resumed run draws the same ones.
   */
  private NDArray[] negativeCaptions(NDArray captionTokens, NDArray captionMask) {
    long[] shape = captionTokens.getShape().getShape();
    int rows = Math.toIntExact(shape[0]);
    int length = Math.toIntExact(shape[1]);
    long[] tokens = captionTokens.toType(DataType.INT64, false).toLongArray();
    long[] mask = captionMask.toType(DataType.INT64, false).toLongArray();
    List<int[]> captions = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int real = 0;
      while (real < length && mask[r * length + real] != 0) {
        real++;
      }
      int[] caption = new int[real];
      for (int i = 0; i < real; i++) {
        caption[i] = Math.toIntExact(tokens[r * length + i]);
      }
      captions.add(caption);
    }
    List<int[]> negatives =
        CaptionNegatives.build(
            captions, config.hardNegatives(), new SplittableRandom(Arrays.hashCode(tokens)));
    if (negatives.isEmpty()) {
      return null;
    }
    int[] negativeTokens = new int[negatives.size() * length];
    int[] negativeMask = new int[negatives.size() * length];
    for (int k = 0; k < negatives.size(); k++) {
      int[] negative = negatives.get(k);
      for (int i = 0; i < negative.length; i++) {
        negativeTokens[k * length + i] = negative[i];
        negativeMask[k * length + i] = 1;
      }
    }
    NDManager manager = captionTokens.getManager();
    Shape negativeShape = new Shape(negatives.size(), length);
    return new NDArray[] {
      manager.create(negativeTokens, negativeShape).toType(captionTokens.getDataType(), false),
      manager.create(negativeMask, negativeShape).toType(captionMask.getDataType(), false)
    };
  }

  /** The text tower's positions, {@code max-text-length}: longer captions must be truncated. */
  @Override
  public int maxCaptionTokens() {
    return config.maxTextLength();
  }

  /** Unnormalised image embeddings {@code (B, E)}: mean-pooled patch features, projected. */
  NDArray imageEmbeddings(
      ParameterStore parameterStore, ImageEncoder encoder, NDArray pixels, boolean training) {
    NDArray patches =
        CaptionedImages.patchFeatures(
            "CLIP", encoderWidth, parameterStore, encoder, pixels, training);
    return project(parameterStore, patches, training);
  }

  /** Mean-pooled patch features {@code (B, N, D_enc)}, projected: {@code (B, E)}. */
  private NDArray project(ParameterStore parameterStore, NDArray patches, boolean training) {
    NDArray pooled = patches.mean(new int[] {1});
    return imageProjection.forward(parameterStore, new NDList(pooled), training).singletonOrThrow();
  }

  /** Unnormalised text embeddings {@code (B, E)}: the text tower's summary, projected. */
  NDArray textEmbeddings(
      ParameterStore parameterStore, NDArray tokens, NDArray mask, boolean training) {
    NDList summary = textTower.forward(parameterStore, new NDList(tokens, mask), training);
    return textProjection.forward(parameterStore, summary, training).singletonOrThrow();
  }

  /**
   * The symmetric contrastive loss of paired embeddings.
   *
   * @param images {@code (B, E)} image embeddings, not yet normalised
   * @param texts {@code (B, E)} text embeddings of the same pairs, not yet normalised
   * @param logScale {@code (1)} the log of the logit scale
   * @return a scalar: {@code (CE_rows + CE_columns) / 2}, each the mean over the batch
   */
  static NDArray contrastiveLoss(NDArray images, NDArray texts, NDArray logScale) {
    return contrastiveLoss(images, texts, null, logScale);
  }

  /**
   * The symmetric contrastive loss with extra negative captions: each image picks its caption among
   * the batch's captions and the {@code K} negatives; each caption picks its image among the
   * batch's images (a negative belongs to no image, so it has no column term).
   *
   * @param negatives {@code (K, E)} embeddings of negative captions, or null for none
   */
  static NDArray contrastiveLoss(
      NDArray images, NDArray texts, NDArray negatives, NDArray logScale) {
    long batch = images.getShape().get(0);
    NDArray scale = logScale.exp();
    NDArray imageUnits = normalise(images);
    NDArray logits = imageUnits.matMul(normalise(texts).transpose()).mul(scale);
    NDArray diagonal = images.getManager().eye((int) batch).toType(logits.getDataType(), false);
    NDArray columns = logits.logSoftmax(0).mul(diagonal).sum().neg();
    NDArray rowLogits = logits;
    NDArray rowTargets = diagonal;
    if (negatives != null) {
      NDArray extra = imageUnits.matMul(normalise(negatives).transpose()).mul(scale);
      rowLogits = logits.concat(extra, 1);
      rowTargets = diagonal.concat(extra.zerosLike(), 1);
    }
    NDArray rows = rowLogits.logSoftmax(1).mul(rowTargets).sum().neg();
    return Scalars.divide(rows.add(columns), 2.0 * batch);
  }

  /** Each row scaled to unit L2 norm. */
  private static NDArray normalise(NDArray x) {
    return x.div(x.square().sum(new int[] {1}, true).add(NORM_EPSILON).sqrt());
  }

  /**
   * Clamps the log-scale to {@code [0, ln 100]}, in place, on its device: reading it back to decide
   * would make every step wait for the device to finish (a GPU otherwise runs behind the host), and
   * rewriting an in-range value with itself changes nothing.
   */
  @Override
  public void afterStep() {
    NDArray s = logScale.getArray();
    try (NDArray clamped = s.clip(0f, MAX_LOG_SCALE)) {
      s.set(new NDIndex(":"), clamped);
    }
  }

  /** The current log-scale {@code s}; the logits are scaled by {@code exp(s)}. */
  float logScale() {
    return logScale.getArray().getFloat(0);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "the CLIP objective needs the encoder: call loss(...), not forward(...)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape()};
  }

  /**
   * Expects the pixels shape {@code (B, 3, H, W)} and the caption shape {@code (B, L)} (see {@link
   * EncoderObjective}); parameter shapes depend on neither, so any batch and length work later.
   */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape captions =
        inputShapes.length > 1 ? inputShapes[1] : new Shape(batch, config.maxTextLength());
    imageProjection.initialize(manager, dataType, new Shape(batch, encoderWidth));
    textTower.initialize(manager, dataType, captions, captions);
    textProjection.initialize(manager, dataType, new Shape(batch, config.textWidth()));
    if (patchClassifier != null) {
      patchClassifier.initialize(manager, dataType, inputShapes[0]);
    }
  }
}
