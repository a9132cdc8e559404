package org.mm1lab.api;

/**
 * The layout of an image encoder's output: {@code height x width} patches in raster order, each a
 * vector of {@code channels} features. An encoder output of shape {@code (B, N, D_enc)} has {@code
 * N = height * width} and {@code D_enc = channels}.
 *
 * @param height patches per column
 * @param width patches per row
 * @param channels features per patch ({@code D_enc})
 * @since 1.0
 */
public record PatchGrid(int height, int width, int channels) {

  public PatchGrid {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "a patch grid needs positive sizes, got " + height + "x" + width + "x" + channels);
    }
  }

  /** The number of patches, {@code N = height * width}. */
  public int patches() {
    return height * width;
  }

  @Override
  public String toString() {
    return height + "x" + width + " patches of " + channels + " features";
  }
}
