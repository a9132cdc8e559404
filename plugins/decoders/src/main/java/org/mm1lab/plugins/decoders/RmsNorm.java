package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.arrays.Precision;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * Root-mean-square layer normalisation (Zhang and Sennrich, 2019), which DJL lacks: {@code y = x /
 * sqrt(mean(x^2) + eps) * gain}, over the last axis, with a learnable per-channel gain initialised
 * to one and no bias or mean subtraction.
 *
 * <p>Shape contract: input {@code (..., D)}, output the same shape and type. The norm is computed
 * in float32 even for half-precision input, since the mean of squares overflows float16 easily; the
 * gain is float32 then too (a mixed-precision store keeps norms' gains in float32).
 */
public final class RmsNorm extends AbstractBlock {

  private static final int[] LAST_AXIS = {-1};

  private final int width;
  private final float eps;
  private final Parameter gain;

  /**
   * @param width the size {@code D} of the normalised (last) axis
   * @param eps added to the mean square before the square root, for stability
   */
  public RmsNorm(int width, float eps) {
    this.width = width;
    this.eps = eps;
    this.gain =
        addParameter(
            Parameter.builder()
                .setName("gain")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(width))
                .build());
  }

  /** Normalises {@code x} of shape {@code (..., D)}. */
  public NDArray normalize(ParameterStore parameterStore, NDArray x, boolean training) {
    NDArray g = parameterStore.getValue(gain, x.getDevice(), training);
    // The whole norm, gain included, in float32; back to the activations' type at the end.
    return Precision.inFloat32(x, x32 -> scaled(x32, Precision.toFloat32(g)));
  }

  /** {@code x / rms(x) * g} of float32 {@code x} and {@code g}. */
  private NDArray scaled(NDArray x, NDArray g) {
    // mean(x^2) from the rows' L2 norms: one reduction over x instead of a squared copy of it and
    // a mean; and a multiply by 1 / rms, whose backward costs fewer passes than a division's
    NDArray meanSquare = Scalars.divide(x.norm(2, LAST_AXIS, true).square(), width);
    NDArray rms = meanSquare.add(eps).sqrt();
    return x.mul(Scalars.constantLike(rms, 1.0).div(rms)).mul(g);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(normalize(parameterStore, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** The per-channel gain {@code (D)}, Llama's {@code *_layernorm.weight}. */
  Parameter gain() {
    return gain;
  }

  /** The normalised width {@code D}. */
  public int width() {
    return width;
  }
}
