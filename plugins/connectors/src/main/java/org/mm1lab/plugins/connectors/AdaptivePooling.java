package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Adaptive average pooling of a patch grid as PyTorch's {@code adaptive_avg_pool2d} defines it,
 * which DJL lacks (it has only global pooling).
 *
 * <p>Output cell {@code (i, j)} of an {@code outH x outW} pooling of an {@code h x w} grid averages
 * rows {@code [floor(i*h/outH), ceil((i+1)*h/outH))} and columns {@code [floor(j*w/outW),
 * ceil((j+1)*w/outW))}. Bins may overlap when the sizes do not divide (14 to 8, say), so the pool
 * is written as one fixed matrix {@code P} of shape {@code (outH*outW, h*w)} whose row is the bin's
 * uniform weights: pooling is then a single matrix product on raster-ordered patches, exact for
 * every size and differentiable with respect to the features.
 */
final class AdaptivePooling {

  private AdaptivePooling() {}

  /**
   * The pooling matrix, row-major, {@code (outH*outW) x (h*w)}. Pure Java, so factories may build
   * it without touching the engine.
   */
  static float[] matrix(int h, int w, int outH, int outW) {
    float[] p = new float[outH * outW * h * w];
    for (int i = 0; i < outH; i++) {
      int y0 = Math.floorDiv(i * h, outH);
      int y1 = ceilDiv((i + 1) * h, outH);
      for (int j = 0; j < outW; j++) {
        int x0 = Math.floorDiv(j * w, outW);
        int x1 = ceilDiv((j + 1) * w, outW);
        float weight = 1f / ((y1 - y0) * (x1 - x0));
        int row = (i * outW + j) * h * w;
        for (int y = y0; y < y1; y++) {
          for (int x = x0; x < x1; x++) {
            p[row + y * w + x] = weight;
          }
        }
      }
    }
    return p;
  }

  /**
   * Pools tokens laid out as {@code (B, h*w, C)} to {@code (B, outH*outW, C)}.
   *
   * @param matrix from {@link #matrix}; copied to the features' device and type on each call (a few
   *     kilobytes, negligible next to the features)
   */
  static NDArray poolTokens(NDArray features, float[] matrix, int patches, int pooled) {
    NDArray p =
        features
            .getManager()
            .create(matrix, new Shape(pooled, patches))
            .toType(features.getDataType(), false);
    // (pooled, N) @ (B, N, C) broadcasts over the batch: (B, pooled, C).
    return p.matMul(features);
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
