package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;

/**
 * AIM's autoregressive pixel loss, {@code aim-vit}'s pretraining objective. Reads no captions.
 *
 * <p>For a batch of images with {@code N} patches of {@code p x p} pixels, in raster order:
 *
 * <ol>
 *   <li>a prefix length {@code P} in {@code [1, N - 1]} is drawn uniformly once per batch, from a
 *       generator seeded with the run's seed, so a run draws the same sequence of prefixes every
 *       time (the generator's position is not part of the saved parameters: a resumed run starts
 *       the sequence again);
 *   <li>the encoder runs with a <em>prefix-causal</em> mask: query patch {@code i} may attend to
 *       key patch {@code j} when {@code j <= i} or {@code j < P}, so the prefix is bidirectional
 *       and the rest causal (the encoder used downstream with full attention then sees no
 *       train/test gap over the prefix);
 *   <li>an MLP head {@code Linear(D_enc -> head-width)}, GELU, {@code Linear(head-width -> 3p²)}
 *       turns the feature at position {@code t} into a prediction of patch {@code t + 1}'s pixels;
 *   <li>targets: each patch's {@code 3p²} pixel values ordered {@code (row, column, channel)} (as
 *       in MAE/AIM), and with {@code normalize-targets} normalised per patch: minus their mean,
 *       divided by {@code sqrt(var + 1e-6)} with {@code var} the population variance (mean squared
 *       deviation);
 *   <li>loss: the mean squared error over the non-prefix targets only, patches {@code P .. N-1}
 *       predicted from positions {@code P-1 .. N-2}, averaged over patches, batch and values.
 * </ol>
 *
 * <p>When {@code training} is false, the prefix is {@code max(1, N / 2)}, so that evaluation losses
 * are comparable from one call to the next. {@link #loss(ParameterStore, ImageEncoder, NDArray,
 * int, boolean)} takes an explicit prefix.
 *
 * <p>Parameters: {@code hidden} and {@code output}, the head's two linear layers (with bias).
 */
final class AimObjective extends AbstractBlock implements EncoderObjective {

  private static final byte VERSION = 1;

  /** Keeps the normalisation finite for a flat patch (then its target is all zeros). */
  static final float VARIANCE_EPSILON = 1e-6f;

  private final AimObjectiveConfig config;
  private final int patchSize;
  private final int encoderWidth;
  private final Linear hidden;
  private final Linear output;
  private final SplittableRandom prefixes;

  /**
   * @param config the objective's options
   * @param patchSize {@code p}, the encoder's patch side in pixels
   * @param encoderWidth {@code D_enc}
   */
  AimObjective(AimObjectiveConfig config, int patchSize, int encoderWidth) {
    super(VERSION);
    this.config = config;
    this.patchSize = patchSize;
    this.encoderWidth = encoderWidth;
    this.prefixes = new SplittableRandom(config.seed());
    hidden = addChildBlock("hidden", Linear.builder().setUnits(config.headWidth()).build());
    output = addChildBlock("output", Linear.builder().setUnits(patchValues()).build());
  }

  /** The values of one patch, {@code 3p²}. */
  int patchValues() {
    return 3 * patchSize * patchSize;
  }

  @Override
  public boolean needsCaptions() {
    return false;
  }

  @Override
  public NDArray loss(
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      NDArray captionTokens,
      NDArray captionMask,
      boolean training) {
    int n = patches(encoder);
    int prefix = training ? 1 + prefixes.nextInt(n - 1) : Math.max(1, n / 2);
    return loss(parameterStore, encoder, pixels, prefix, training);
  }

  /**
   * The loss with a given prefix length.
   *
   * @param prefix {@code P} in {@code [1, N - 1]}
   */
  NDArray loss(
      ParameterStore parameterStore,
      ImageEncoder encoder,
      NDArray pixels,
      int prefix,
      boolean training) {
    int n = patches(encoder);
    if (prefix < 1 || prefix > n - 1) {
      throw new IllegalArgumentException("prefix must lie in [1, " + (n - 1) + "], got " + prefix);
    }
    VisionTransformer vit = (VisionTransformer) encoder;
    NDArray mask = pixels.getManager().create(prefixMask(n, prefix), new Shape(n, n));
    NDArray features = vit.encode(parameterStore, pixels, mask, training); // (B, N, D)
    NDArray predictions = head(parameterStore, features, training); // (B, N, 3p²)
    NDArray targets = patchify(pixels, patchSize);
    if (config.normalizeTargets()) {
      targets = normalisePatches(targets);
    }
    return maskedMse(predictions, targets, prefix);
  }

  /** The head's predictions {@code (B, N, 3p²)}: row {@code t} predicts patch {@code t + 1}. */
  NDArray head(ParameterStore parameterStore, NDArray features, boolean training) {
    NDArray h = hidden.forward(parameterStore, new NDList(features), training).singletonOrThrow();
    return output
        .forward(parameterStore, new NDList(Activation.gelu(h)), training)
        .singletonOrThrow();
  }

  /**
   * The mean squared error of next-patch predictions over the non-prefix targets.
   *
   * @param predictions {@code (B, N, V)}, row {@code t} predicting patch {@code t + 1}
   * @param targets {@code (B, N, V)}
   * @param prefix {@code P}: targets {@code P .. N-1} count, from predictions {@code P-1 .. N-2}
   * @return a scalar
   */
  static NDArray maskedMse(NDArray predictions, NDArray targets, int prefix) {
    long n = targets.getShape().get(1);
    NDArray predicted = predictions.get(new NDIndex(":, {}:{}", prefix - 1, n - 1));
    NDArray wanted = targets.get(new NDIndex(":, {}:", prefix));
    return predicted.sub(wanted).square().mean();
  }

  /**
   * Pixels {@code (B, 3, S, S)} to patches {@code (B, N, 3p²)} in raster order, each patch's values
   * ordered {@code (row, column, channel)}.
   */
  static NDArray patchify(NDArray pixels, int patchSize) {
    Shape shape = pixels.getShape();
    long batch = shape.get(0);
    long g = shape.get(2) / patchSize;
    return pixels
        .reshape(batch, 3, g, patchSize, g, patchSize)
        .transpose(0, 2, 4, 3, 5, 1) // (B, gy, gx, py, px, C)
        .reshape(batch, g * g, 3L * patchSize * patchSize);
  }

  /** Each patch (last axis) to zero mean and unit population variance, up to the epsilon. */
  static NDArray normalisePatches(NDArray patches) {
    NDArray centred = patches.sub(patches.mean(new int[] {2}, true));
    NDArray variance = centred.square().mean(new int[] {2}, true);
    return centred.div(variance.add(VARIANCE_EPSILON).sqrt());
  }

  /**
   * The prefix-causal attention mask, row-major {@code (N, N)}: {@code [i, j]} is true when {@code
   * j <= i} or {@code j < prefix}.
   */
  static boolean[] prefixMask(int n, int prefix) {
    boolean[] allowed = new boolean[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        allowed[i * n + j] = j <= i || j < prefix;
      }
    }
    return allowed;
  }

  private int patches(ImageEncoder encoder) {
    if (!(encoder instanceof VisionTransformer vit)) {
      throw new IllegalArgumentException(
          "the AIM objective needs a ViT encoder that takes an attention mask (aim-vit or"
              + " clip-vit), got "
              + encoder.getClass().getName());
    }
    if (vit.config().patchSize() != patchSize || vit.config().width() != encoderWidth) {
      throw new IllegalArgumentException(
          "this AIM objective was built for patch-size "
              + patchSize
              + " and width "
              + encoderWidth
              + ", got "
              + vit);
    }
    int n = vit.config().patches();
    if (n < 2) {
      throw new IllegalArgumentException(
          "AIM pretraining needs at least 2 patches to predict one from another; "
              + vit
              + " has 1: raise image-size or lower patch-size");
    }
    return n;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "the AIM objective needs the encoder: call loss(...), not forward(...)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape()};
  }

  /**
   * Expects the pixels shape {@code (B, 3, H, W)} (a caption shape, if given, is ignored); the
   * head's parameter shapes depend only on the encoder width and the patch size.
   */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    hidden.initialize(manager, dataType, new Shape(batch, encoderWidth));
    output.initialize(manager, dataType, new Shape(batch, config.headWidth()));
  }
}
