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
 */
public record VitConfig(
    int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio) {

  /** Option keys, as declared in {@code reference.conf}. */
  static final String IMAGE_SIZE = "image-size";

  static final String PATCH_SIZE = "patch-size";
  static final String WIDTH = "width";
  static final String LAYERS = "layers";
  static final String HEADS = "heads";
  static final String MLP_RATIO = "mlp-ratio";

  /**
   * @throws IllegalArgumentException with the same message {@link #from(Options)} would give, when
   *     a size is out of range
   */
  public VitConfig {
    String problem = problem(imageSize, patchSize, width, layers, heads, mlpRatio);
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
    return new VitConfig(imageSize, patchSize, width, layers, heads, mlpRatio);
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
    return new VitConfig(newImageSize, patchSize, width, layers, heads, mlpRatio);
  }

  /**
   * The number of trainable scalars: patch convolution {@code 3P²D + D}, position embeddings {@code
   * ND}, per block two LayerNorms {@code 4D}, attention {@code 4(D² + D)} and MLP {@code DH + H +
   * HD + D}, and the final LayerNorm {@code 2D}.
   */
  public long parameterCount() {
    long d = width;
    long h = hiddenWidth();
    long p = patchSize;
    long perBlock = 4 * d + 4 * (d * d + d) + (d * h + h + h * d + d);
    return 3 * p * p * d + d + (long) patches() * d + layers * perBlock + 2 * d;
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
