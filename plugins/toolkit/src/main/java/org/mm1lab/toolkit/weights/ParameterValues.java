package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Puts loaded values into a parameter's array in place: the same {@link NDArray} object (which a
 * parameter store or an optimizer may hold) afterwards holds the new values, with the target's
 * type, device and gradient flag.
 *
 * <p>It swaps the native tensor under the array ({@link NDArray#intern}) rather than copying bytes
 * through {@link NDArray#set(java.nio.Buffer)}: on PyTorch that call enters a deprecated autograd
 * mode whose warning the C++ library prints to standard error, past every Java logger, which a user
 * would read as breakage.
 */
public final class ParameterValues {

  private ParameterValues() {}

  /**
   * Replaces {@code target}'s values with {@code values}, converted to the target's type and device
   * and reshaped to its shape.
   *
   * @throws IllegalArgumentException when the element counts differ
   */
  public static void overwrite(NDArray target, NDArray values) {
    if (values.size() != target.size()) {
      throw new IllegalArgumentException(
          "cannot put "
              + values.getShape()
              + " values into a parameter of shape "
              + target.getShape());
    }
    boolean requiresGradient = target.hasGradient();
    DataType type = target.getDataType();
    NDArray converted = values.getDataType() == type ? values : values.toType(type, false);
    // duplicate(): a tensor of its own (contiguous, not a view of the file's buffer), which intern
    // hands over to the target and closes on the source side.
    NDArray copy =
        converted.reshape(target.getShape()).toDevice(target.getDevice(), false).duplicate();
    copy.detach();
    target.intern(copy);
    if (requiresGradient) {
      target.setRequiresGradient(true);
    }
  }
}
