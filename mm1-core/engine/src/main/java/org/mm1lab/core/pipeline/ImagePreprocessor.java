package org.mm1lab.core.pipeline;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns a decoded image into the encoder's input: resize so the shorter side is {@code size},
 * centre-crop to {@code size x size}, and normalise each channel as {@code (v / 255 - mean) / std},
 * written channel-first ({@code 3 x size x size}) into a float array. Thread-safe; runs on the
 * pipeline's background threads.
 */
public final class ImagePreprocessor {

  /** CLIP's channel means, the usual choice for ViT encoders. */
  @SuppressWarnings("FloatingPointLiteralPrecision") // as published
  private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** CLIP's channel standard deviations. */
  @SuppressWarnings("FloatingPointLiteralPrecision") // as published
  private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /** CLIP's channel means (a copy). */
  public static float[] clipMean() {
    return CLIP_MEAN.clone();
  }

  /** CLIP's channel standard deviations (a copy). */
  public static float[] clipStd() {
    return CLIP_STD.clone();
  }

  private final int size;
  private final float[] mean;
  private final float[] std;

  /**
   * @param size the side of the square output, the encoder's image size
   * @param mean per-channel mean (RGB) on the [0, 1] scale
   * @param std per-channel standard deviation (RGB), positive
   */
  public ImagePreprocessor(int size, float[] mean, float[] std) {
    if (size < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + size);
    }
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std values must be positive, got " + s);
      }
    }
    this.size = size;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** The side of the square output. */
  public int size() {
    return size;
  }

  /** Floats per image: {@code 3 * size * size}. */
  public int floatsPerImage() {
    return 3 * size * size;
  }

  /**
   * Writes the preprocessed image into {@code out} at {@code offset}, channel-first.
   *
   * @param image any size or type
   * @param out destination, at least {@code offset + floatsPerImage()} long
   * @param offset where to start
   */
  public void process(BufferedImage image, float[] out, int offset) {
    BufferedImage square = resizeAndCrop(image);
    int plane = size * size;
    int[] rgb = square.getRGB(0, 0, size, size, null, 0, size);
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[offset + i] = (((p >> 16) & 0xff) / 255f - mean[0]) / std[0];
      out[offset + plane + i] = (((p >> 8) & 0xff) / 255f - mean[1]) / std[1];
      out[offset + 2 * plane + i] = ((p & 0xff) / 255f - mean[2]) / std[2];
    }
  }

  /** Shorter side to {@code size} (bilinear), then the centred {@code size x size} square. */
  BufferedImage resizeAndCrop(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (w == size && h == size && image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    double scale = (double) size / Math.min(w, h);
    int scaledW = Math.max(size, (int) Math.round(w * scale));
    int scaledH = Math.max(size, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      int x = (size - scaledW) / 2;
      int y = (size - scaledH) / 2;
      g.drawImage(image, x, y, scaledW, scaledH, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
