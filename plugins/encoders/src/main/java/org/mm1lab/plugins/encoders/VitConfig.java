package org.mm1lab.plugins.encoders;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.api.Options;

/**
 * The sizes of a {@link VisionTransformer}, validated.
 *
 * @param imageSize side length {@code S} in pixels of the square input; a multiple of {@code
 *     patchSize}
 * @param patchSize side length {@code P} in pixels of one patch
 * @param width feature width {@code D} of the residual stream and of every output patch vector
 * @param layers number of transformer blocks
 * @param heads attention heads per block; divides {@code width}
 * @param mlpRatio the MLP's hidden width as a multiple of {@code width}
 * @param stem how pixels become patch vectors: {@code patch}, one {@code P x P} convolution with
 *     stride {@code P} (the ViT's patchify), or {@code conv}, a stack of {@code log2 P} 3 x 3
 *     convolutions of stride 2 with ReLUs and a final 1 x 1 convolution (the convolutional stem of
 *     Xiao et al., 2021, "Early convolutions help transformers see better"); {@code conv} needs a
 *     power-of-two patch size
 */
public record VitConfig(
    int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio, String stem) {

  /** The ViT's patchify stem. */
  public static final String PATCH_STEM = "patch";

  /** The convolutional stem. */
  public static final String CONV_STEM = "conv";

  /** Option keys, as declared in {@code reference.conf}. */
  static final String IMAGE_SIZE = "image-size";

  static final String PATCH_SIZE = "patch-size";
  static final String WIDTH = "width";
  static final String LAYERS = "layers";
  static final String HEADS = "heads";
  static final String MLP_RATIO = "mlp-ratio";
  static final String STEM = "stem";

  /** A ViT with the patchify stem. */
  public VitConfig(
      int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio) {
    this(imageSize, patchSize, width, layers, heads, mlpRatio, PATCH_STEM);
  }

  /**
   * @throws IllegalArgumentException with the same message {@link #from(Options)} would give, when
   *     a size is out of range
   */
  public VitConfig {
    String problem = problem(imageSize, patchSize, width, layers, heads, mlpRatio);
    if (problem == null) {
      problem = stemProblem(stem, patchSize);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * Reads every option the ViT encoders declare and checks them, naming the offending key.
   *
   * @throws org.mm1lab.api.InvalidOptionException for a non-positive size, an image size that is
   *     not a multiple of the patch size, or a head count that does not divide the width
   */
  public static VitConfig from(Options options) {
    // Read all keys first, so that every declared key counts as read even if an early one fails.
    int imageSize = options.getInt(IMAGE_SIZE);
    int patchSize = options.getInt(PATCH_SIZE);
    int width = options.getInt(WIDTH);
    int layers = options.getInt(LAYERS);
    int heads = options.getInt(HEADS);
    double mlpRatio = options.getDouble(MLP_RATIO);
    // Absent only when a caller builds options by hand without the reference.conf defaults.
    String stem = options.has(STEM) ? options.getString(STEM) : PATCH_STEM;

    positive(options, IMAGE_SIZE, imageSize);
    positive(options, PATCH_SIZE, patchSize);
    positive(options, WIDTH, width);
    positive(options, LAYERS, layers);
    positive(options, HEADS, heads);
    if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio)) {
      throw options.invalid(MLP_RATIO, "must be a positive number, got " + mlpRatio);
    }
    String sizeProblem = imageSizeProblem(imageSize, patchSize);
    if (sizeProblem != null) {
      throw options.invalid(IMAGE_SIZE, sizeProblem);
    }
    String headsProblem = headsProblem(width, heads);
    if (headsProblem != null) {
      throw options.invalid(HEADS, headsProblem);
    }
    if (hiddenWidth(width, mlpRatio) < 1) {
      throw options.invalid(
          MLP_RATIO,
          "width " + width + " * mlp-ratio " + mlpRatio + " rounds to no hidden units; raise it");
    }
    String stemProblem = stemProblem(stem, patchSize);
    if (stemProblem != null) {
      throw options.invalid(STEM, stemProblem);
    }
    return new VitConfig(imageSize, patchSize, width, layers, heads, mlpRatio, stem);
  }

  /** Whether the stem is the convolutional one. */
  public boolean convolutionalStem() {
    return CONV_STEM.equals(stem);
  }

  /**
   * The output channels of the convolutional stem's 3 x 3 convolutions, one per halving of the
   * resolution: the width halved once per remaining halving (at least 8), ending at the width.
   */
  public int[] stemChannels() {
    int halvings = Integer.numberOfTrailingZeros(patchSize);
    int[] channels = new int[halvings];
    for (int i = 0; i < halvings; i++) {
      channels[i] = Math.max(Math.min(8, width), width >> (halvings - 1 - i));
    }
    return channels;
  }

  private static String stemProblem(String stem, int patchSize) {
    if (!PATCH_STEM.equals(stem) && !CONV_STEM.equals(stem)) {
      return "must be patch or conv, got '" + stem + "'";
    }
    if (CONV_STEM.equals(stem) && (patchSize < 2 || Integer.bitCount(patchSize) != 1)) {
      return "conv needs a patch-size that is a power of two (2, 4, 8, 16, ...), got " + patchSize;
    }
    return null;
  }

  /** Patches per side, {@code S / P}. */
  public int gridSide() {
    return imageSize / patchSize;
  }

  /** The number of patches {@code N = (S / P)^2}. */
  public int patches() {
    return gridSide() * gridSide();
  }

  /** The MLP's hidden width {@code H = round(D * mlpRatio)}. */
  public int hiddenWidth() {
    return hiddenWidth(width, mlpRatio);
  }

  /** The features per attention head, {@code D / heads}. */
  public int headWidth() {
    return width / heads;
  }

  /** The same sizes for another input resolution. */
  public VitConfig withImageSize(int newImageSize) {
    return new VitConfig(newImageSize, patchSize, width, layers, heads, mlpRatio, stem);
  }

  /**
   * The number of trainable scalars: the stem (patch convolution {@code 3P²D + D}, or the
   * convolutional stem's 3 x 3 convolutions and 1 x 1 projection, each with a bias), position
   * embeddings {@code ND}, per block two LayerNorms {@code 4D}, attention {@code 4(D² + D)} and MLP
   * {@code DH + H + HD + D}, and the final LayerNorm {@code 2D}.
   */
  public long parameterCount() {
    long d = width;
    long h = hiddenWidth();
    long p = patchSize;
    long perBlock = 4 * d + 4 * (d * d + d) + (d * h + h + h * d + d);
    long stemCount = 3 * p * p * d + d;
    if (convolutionalStem()) {
      stemCount = 0;
      long in = 3;
      for (int out : stemChannels()) {
        stemCount += 9 * in * out + out;
        in = out;
      }
      stemCount += in * d + d;
    }
    return stemCount + (long) patches() * d + layers * perBlock + 2 * d;
  }

  private static int hiddenWidth(int width, double mlpRatio) {
    return (int) Math.round(width * mlpRatio);
  }

  private static void positive(Options options, String key, int value) {
    if (value < 1) {
      throw options.invalid(key, "must be positive, got " + value);
    }
  }

  private static String problem(
      int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio) {
    if (imageSize < 1 || patchSize < 1 || width < 1 || layers < 1 || heads < 1) {
      return "image-size, patch-size, width, layers and heads must be positive, got "
          + imageSize
          + ", "
          + patchSize
          + ", "
          + width
          + ", "
          + layers
          + ", "
          + heads;
    }
    if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio) || hiddenWidth(width, mlpRatio) < 1) {
      return "mlp-ratio must be positive and give at least one hidden unit, got " + mlpRatio;
    }
    String sizeProblem = imageSizeProblem(imageSize, patchSize);
    if (sizeProblem != null) {
      return "image-size " + sizeProblem;
    }
    String headsProblem = headsProblem(width, heads);
    return headsProblem == null ? null : "heads " + headsProblem;
  }

  /**
   * Why {@code imageSize} does not fit {@code patchSize}, naming the nearest image sizes that do,
   * or {@code null} when it fits.
   */
  static String imageSizeProblem(int imageSize, int patchSize) {
    if (imageSize % patchSize == 0) {
      return null;
    }
    int below = imageSize / patchSize * patchSize;
    int above = below + patchSize;
    String use =
        below > 0
            ? "use "
                + below
                + " or "
                + above
                + " ("
                + below / patchSize
                + " or "
                + above / patchSize
                + " patches per side)"
            : "use " + above + " (1 patch per side) or a smaller patch-size";
    return imageSize + " is not a multiple of patch-size " + patchSize + "; " + use;
  }

  /** Why {@code heads} does not divide {@code width}, naming the nearest counts that do. */
  static String headsProblem(int width, int heads) {
    if (width % heads == 0) {
      return null;
    }
    List<String> options = new ArrayList<>();
    for (int h = heads - 1; h >= 1; h--) {
      if (width % h == 0) {
        options.add(String.valueOf(h));
        break;
      }
    }
    for (int h = heads + 1; h <= width; h++) {
      if (width % h == 0) {
        options.add(String.valueOf(h));
        break;
      }
    }
    return heads
        + " does not divide width "
        + width
        + "; use heads = "
        + String.join(" or ", options)
        + ", or change width";
  }
}
