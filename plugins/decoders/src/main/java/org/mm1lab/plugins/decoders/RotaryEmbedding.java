package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings (RoPE, Su et al. 2021), which DJL lacks. Parameter-free, so it is a
 * plain helper rather than a block.
 *
 * <p>Channel pair {@code (i, i + hd/2)} of every head is rotated by the angle {@code p *
 * base^(-2i/hd)} for a position {@code p} (the "rotate half" layout of GPT-NeoX and Llama). The
 * angles are computed from the position ids of each call instead of a precomputed table: positions
 * differ per row (left padding, see {@link DenseDecoder}) and the sequence length is then not
 * bounded by a table size.
 */
final class RotaryEmbedding {

  private final int headDim;
  private final double base;
  // built once: a string index is parsed (with regular expressions) on every use
  private final NDIndex firstHalf;
  private final NDIndex secondHalf;

  /**
   * @param headDim the per-head width {@code hd}; must be even
   * @param base the wavelength base, 10000 in the original paper
   */
  RotaryEmbedding(int headDim, double base) {
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException(
          "rotary embeddings need an even head width, got " + headDim);
    }
    this.headDim = headDim;
    this.base = base;
    this.firstHalf = new NDIndex().addEllipseDim().addSliceDim(0, headDim / 2);
    this.secondHalf = new NDIndex().addEllipseDim().addSliceDim(headDim / 2, headDim);
  }

  /** The per-head width {@code hd}. */
  int headDim() {
    return headDim;
  }

  /**
   * The rotation for the given positions, in the full-width form that {@link #apply} takes.
   *
   * @param positions {@code (B, L)} position ids (any numeric type)
   * @param queryScale a factor folded into the queries' rotation (rotation is linear), e.g. the
   *     attention's {@code 1/sqrt(hd)}: two small {@code (B, L, 1, hd)} products once per call
   *     instead of a pass over the queries or the scores in every layer
   * @return the keys' and the (scaled) queries' cosines and signed sines, float32 {@code (B, L, 1,
   *     hd)}, ready to broadcast over heads
   */
  Rotation angles(NDArray positions, double queryScale) {
    int half = headDim / 2;
    // inverse frequencies base^(-2i/hd) = exp(-(2i/hd) ln base), i = 0 .. hd/2-1
    NDArray inverseFrequency =
        positions
            .getManager()
            .arange(0, half, 1, DataType.FLOAT32, positions.getDevice())
            .mul((float) (-2.0 * Math.log(base) / headDim))
            .exp();
    NDArray angle =
        positions
            .toType(DataType.FLOAT32, false)
            .expandDims(-1)
            .mul(inverseFrequency)
            .expandDims(2);
    NDArray cos = angle.cos();
    NDArray sin = angle.sin();
    // channel i < hd/2 becomes x_i cos - x_{i+hd/2} sin, channel i + hd/2 becomes
    // x_{i+hd/2} cos + x_i sin: cosines (c, c) against x, signed sines (-s, s) against x with
    // its halves swapped
    NDArray fullCos = cos.concat(cos, -1);
    NDArray signedSin = sin.neg().concat(sin, -1);
    return new Rotation(
        fullCos, signedSin, fullCos.mul((float) queryScale), signedSin.mul((float) queryScale));
  }

  /**
   * Rotates {@code x}: {@code x * cos + swapHalves(x) * sin}, four elementwise passes.
   *
   * @param x {@code (B, L, H, hd)}
   * @param cos from {@link #angles}, {@code (B, L, 1, hd)}
   * @param sin from {@link #angles} (the signed sines), {@code (B, L, 1, hd)}
   * @return {@code (B, L, H, hd)}, same type as {@code x}
   */
  NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    DataType type = x.getDataType();
    NDArray swapped = x.get(secondHalf).concat(x.get(firstHalf), -1);
    return x.mul(cos.toType(type, false)).add(swapped.mul(sin.toType(type, false)));
  }

  /**
   * One call's rotation (see {@link #angles}), each float32 {@code (B, L, 1, hd)}.
   *
   * @param cos the keys' cosines {@code (c, c)}
   * @param sin the keys' signed sines {@code (-s, s)}
   * @param queryCos the queries' cosines, scaled
   * @param querySin the queries' signed sines, scaled
   */
  record Rotation(NDArray cos, NDArray sin, NDArray queryCos, NDArray querySin) {}
}
