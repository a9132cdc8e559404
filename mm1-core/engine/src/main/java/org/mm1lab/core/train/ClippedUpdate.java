package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;

/**
 * The end of every optimisation step, shared by multimodal training and encoder pretraining: the
 * global gradient norm, clipping to a maximum norm folded into one {@link AdamW} update, and the
 * bookkeeping that lets a step skip zeroing the gradients. Not thread-safe.
 *
 * <p>DJL's {@link GradientCollector#zeroGradients()} visits every array the engine holds (a native
 * call each) and rewrites every gradient it finds: 40-100 ms a step on the bench, several percent
 * of it. The fused update leaves every gradient it used at zero, so gradients need zeroing only
 * before the first step and after a step that stopped before its update (an error, an interrupt).
 */
public final class ClippedUpdate {

  /** Every element, whatever the rank: the index that overwrites a whole gradient. */
  private static final NDIndex EVERYTHING = new NDIndex("...");

  private final AdamW optimizer;
  private final List<Map.Entry<String, Parameter>> parameters;
  private final double maxGradientNorm;
  private boolean gradientsZero;

  /**
   * @param optimizer updates the parameters
   * @param parameters every trainable parameter, named, in a stable order
   * @param maxGradientNorm the global L2 norm gradients are clipped to; 0 or less disables
   */
  public ClippedUpdate(
      AdamW optimizer, List<Map.Entry<String, Parameter>> parameters, double maxGradientNorm) {
    this.optimizer = optimizer;
    this.parameters = List.copyOf(parameters);
    this.maxGradientNorm = maxGradientNorm;
  }

  /** Call first in a step's collector, before any backward pass: clears stale gradients. */
  public void startStep(GradientCollector collector) {
    if (!gradientsZero) {
      collector.zeroGradients();
      // DJL zeroes a gradient by subtracting it from itself, which leaves an infinity or a NaN
      // (an overflowed float16 step's) as NaN; those are overwritten here
      clearNonFinite();
    }
    gradientsZero = false;
  }

  /**
   * Clips and applies the step's gradients.
   *
   * @param learningRate this step's rate
   * @return the global gradient norm before clipping
   */
  public double apply(double learningRate) {
    double norm = globalNorm(parameters);
    // clipping scales the gradients inside the optimizer's fused update, not in a pass of its own
    float scale =
        maxGradientNorm > 0 && norm > maxGradientNorm
            ? (float) (maxGradientNorm / (norm + 1e-6))
            : 1f;
    optimizer.update(parameters, learningRate, scale);
    gradientsZero = true;
    return norm;
  }

  /**
   * Unscales, clips and applies the gradients of a loss that was multiplied by {@code lossScale}
   * (mixed-precision training), or skips the update when they overflowed. The division by the scale
   * folds into the same fused update as the clipping, so it costs no pass of its own.
   *
   * @param learningRate this step's rate
   * @param lossScale what the loss was multiplied by before the backward pass, positive
   * @return the global norm of the unscaled gradients before clipping; NaN or infinite when some
   *     gradient held an infinity or a NaN, in which case nothing was updated (no parameter, no
   *     optimizer state, not its step count) and the gradients were set to zero
   */
  public double applyScaled(double learningRate, double lossScale) {
    double norm = globalNorm(parameters) / lossScale;
    if (!Double.isFinite(norm)) {
      clearGradients();
      gradientsZero = true;
      return norm;
    }
    double clip =
        maxGradientNorm > 0 && norm > maxGradientNorm ? maxGradientNorm / (norm + 1e-6) : 1.0;
    optimizer.update(parameters, learningRate, (float) (clip / lossScale));
    gradientsZero = true;
    return norm;
  }

  /** Sets every parameter's gradient to zero by assignment, which an infinity or a NaN obeys. */
  private void clearGradients() {
    for (Map.Entry<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (weight.hasGradient()) {
        weight.getGradient().set(EVERYTHING, 0f);
      }
    }
  }

  /** {@link #clearGradients()} when some gradient is not finite; one device read otherwise. */
  private void clearNonFinite() {
    if (!Double.isFinite(globalNorm(parameters))) {
      clearGradients();
    }
  }

  /** The global L2 norm of the parameters' gradients (0 when none has one). */
  static double globalNorm(List<Map.Entry<String, Parameter>> parameters) {
    NDList norms = new NDList();
    for (Map.Entry<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (weight.hasGradient()) {
        // one reading pass per gradient; squaring first would write a copy of every gradient
        norms.add(weight.getGradient().norm());
      }
    }
    // One device-to-host read per step, not one per parameter.
    return norms.isEmpty() ? 0 : NDArrays.stack(norms).norm().getFloat();
  }
}
