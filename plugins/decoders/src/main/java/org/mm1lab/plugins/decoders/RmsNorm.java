package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.arrays.Precision;

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
  private volatile Constants constants;

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
    Constants c = constants(g);
    NDArray meanSquare = x.norm(2, LAST_AXIS, true).square().div(c.width());
    NDArray rms = meanSquare.add(c.eps()).sqrt();
    return x.mul(c.one().div(rms)).mul(g);
  }

  /**
   * The float32 scalars {@code D}, {@code eps} and 1 on the gain's device, made once and kept in
   * the gain's manager. A scalar made per call costs an engine allocation and a free each time, and
   * at batch 1 a decode step is bound by such small operations: its 13 norms made 39 scalars, half
   * of what the norms cost. Kept rather than closed after use, they also stay alive for any
   * backward pass that reads them. Remade when the device changes or their manager was closed.
   */
  private Constants constants(NDArray gain) {
    Constants c = constants;
    if (c == null || c.width().isReleased() || !c.width().getDevice().equals(gain.getDevice())) {
      c = makeConstants(gain);
    }
    return c;
  }

  private synchronized Constants makeConstants(NDArray gain) {
    NDManager manager = gain.getManager();
    Constants made =
        new Constants(
            manager.full(new Shape(), (float) width, DataType.FLOAT32),
            manager.full(new Shape(), eps, DataType.FLOAT32),
            manager.full(new Shape(), 1f, DataType.FLOAT32));
    // the norm's own arrays, not temporaries of whatever scope the caller has open
    NDScope.unregister(made.width(), made.eps(), made.one());
    constants = made;
    return made;
  }

  /** The scalars of {@link #normalize}, float32 of shape {@code ()}. */
  private record Constants(NDArray width, NDArray eps, NDArray one) {}

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
