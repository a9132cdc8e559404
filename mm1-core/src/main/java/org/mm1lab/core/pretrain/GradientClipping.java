package org.mm1lab.core.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Global L2-norm gradient clipping over a set of parameters. Gradient arrays it reads are created
 * in the caller's {@link ai.djl.ndarray.NDScope}, which must close them.
 */
final class GradientClipping {

  private GradientClipping() {}

  /**
   * Scales every gradient so that their global L2 norm is at most {@code maxNorm}.
   *
   * @param parameters the parameters whose gradients to clip
   * @param maxNorm the limit; 0 or less only measures
   * @return the global norm before clipping
   */
  static double clip(List<Map.Entry<String, Parameter>> parameters, double maxNorm) {
    List<NDArray> gradients = new ArrayList<>();
    NDArray squares = null;
    for (Map.Entry<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (weight.hasGradient()) {
        NDArray gradient = weight.getGradient();
        gradients.add(gradient);
        NDArray sum = gradient.square().sum();
        squares = squares == null ? sum : squares.addi(sum);
      }
    }
    // One device-to-host read per step, not one per parameter.
    double norm = squares == null ? 0 : Math.sqrt(squares.getFloat());
    if (maxNorm > 0 && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (NDArray gradient : gradients) {
        gradient.muli(scale);
      }
    }
    return norm;
  }
}
