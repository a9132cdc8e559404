package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
