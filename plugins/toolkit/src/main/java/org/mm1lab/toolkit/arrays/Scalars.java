package org.mm1lab.toolkit.arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication and division by a constant that are safe to differentiate through on every engine.
 * Use these instead of {@link NDArray#mul(Number)} and {@link NDArray#div(Number)} on any array
 * that takes part in a backward pass.
 *
 * <p>Why: on the CPU, DJL's PyTorch engine turns the {@code Number} into a scalar array that
 * borrows the memory of a Java direct buffer, and closes that array as soon as the product is
 * computed. The autograd graph keeps the scalar for the backward pass ({@code d(x * c)/dx = c}),
 * but once the Java garbage collector has freed the buffer, the backward pass reads whatever the
 * memory now holds: gradients turn to garbage or NaN at random steps, more often the busier the
 * Java heap. The constants here are made by PyTorch itself ({@code torch::full}), so the graph's
 * reference keeps them alive. Addition and subtraction of a {@code Number} are safe (their backward
 * pass never reads the constant), and so is any {@code Number} operation outside a gradient
 * collector.
 */
public final class Scalars {

  private Scalars() {}

  /**
   * {@code x * factor}, differentiable in {@code x}.
   *
   * @param x any array
   * @param factor the constant
   * @return a new array of the type and shape of {@code x}
   */
  public static NDArray multiply(NDArray x, double factor) {
    try (NDArray constant = constantLike(x, factor)) {
      return x.mul(constant);
    }
  }

  /**
   * {@code x / divisor}, differentiable in {@code x}.
   *
   * @param x any array
   * @param divisor the constant, not zero
   * @return a new array of the type and shape of {@code x}
   */
  public static NDArray divide(NDArray x, double divisor) {
    try (NDArray constant = constantLike(x, divisor)) {
      return x.div(constant);
    }
  }

  /**
   * A scalar (shape {@code ()}) holding {@code value}, of the type of {@code like}, made by the
   * engine itself rather than borrowed from Java memory; the caller closes it.
   */
  public static NDArray constantLike(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}
