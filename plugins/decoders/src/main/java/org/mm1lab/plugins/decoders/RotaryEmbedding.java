package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
  }

  /**
   * The cosines and sines for the given positions.
   *
   * @param positions {@code (B, L)} position ids (any numeric type)
   * @return {@code cos, sin}, each float32 {@code (B, L, 1, hd/2)}, ready to broadcast over heads
   */
  NDList angles(NDArray positions) {
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
    return new NDList(angle.cos(), angle.sin());
  }

  /**
   * Rotates {@code x}.
   *
   * @param x {@code (B, L, H, hd)}
   * @param cos from {@link #angles}, {@code (B, L, 1, hd/2)}
   * @param sin from {@link #angles}, {@code (B, L, 1, hd/2)}
   * @return {@code (B, L, H, hd)}, same type as {@code x}
   */
  NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    int half = headDim / 2;
    DataType type = x.getDataType();
    NDArray c = cos.toType(type, false);
    NDArray s = sin.toType(type, false);
    NDArray x1 = x.get("..., :{}", half);
    NDArray x2 = x.get("..., {}:", half);
    return NDArrays.concat(new NDList(x1.mul(c).sub(x2.mul(s)), x2.mul(c).add(x1.mul(s))), -1);
  }
}
