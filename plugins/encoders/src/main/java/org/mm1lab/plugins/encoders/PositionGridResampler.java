package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Bilinear resampling of a square grid of position embeddings, to run a ViT at another resolution
 * than it was trained at.
 *
 * <p>Uses the half-pixel convention of PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)}: output cell {@code o} of {@code to} samples the input at {@code (o + 0.5)
 * * from / to - 0.5}, clamped to the grid. With {@code to == from} the weights are exactly 0 and 1,
 * so resampling to the same size returns the embeddings unchanged, bit for bit. Since bilinear
 * interpolation is separable, it is two matrix products with a fixed {@code (to, from)} matrix.
 */
final class PositionGridResampler {

  private PositionGridResampler() {}

  /**
   * Resamples {@code (from², D)} embeddings in raster order to {@code (to², D)}.
   *
   * @param embeddings {@code (from * from, D)}
   * @param from patches per side of the input grid
   * @param to patches per side of the output grid
   * @return {@code (to * to, D)}, attached to {@code embeddings}' manager
   */
  static NDArray resample(NDArray embeddings, int from, int to) {
    long d = embeddings.getShape().get(1);
    NDManager manager = embeddings.getManager();
    NDArray weights =
        manager
            .create(weights(from, to), new ai.djl.ndarray.types.Shape(to, from))
            .toType(embeddings.getDataType(), false);
    NDArray grid = embeddings.reshape(from, from * d);
    // Rows: (to, from) x (from, from*D) -> (to, from, D).
    NDArray rows = weights.matMul(grid).reshape(to, from, d);
    // Columns: (to, D, from) x (from, to) -> (to, D, to) -> (to, to, D).
    NDArray both = rows.transpose(0, 2, 1).matMul(weights.transpose()).transpose(0, 2, 1);
    return both.reshape((long) to * to, d);
  }

  /** The {@code (to, from)} row-major interpolation matrix; each row sums to 1. */
  static float[] weights(int from, int to) {
    float[] w = new float[to * from];
    double scale = (double) from / to;
    for (int o = 0; o < to; o++) {
      double source = Math.max(0.0, (o + 0.5) * scale - 0.5);
      int lower = Math.min((int) Math.floor(source), from - 1);
      int upper = Math.min(lower + 1, from - 1);
      double fraction = source - lower;
      w[o * from + lower] += (float) (1.0 - fraction);
      w[o * from + upper] += (float) fraction;
    }
    return w;
  }
}
