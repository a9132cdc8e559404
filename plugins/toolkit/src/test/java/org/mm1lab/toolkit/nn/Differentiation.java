package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/**
 * Runs a function and its op-by-op reference on the same inputs and compares what comes out: the
 * values, and the gradients of a weighted sum of the output with respect to every input.
 */
final class Differentiation {

  private Differentiation() {}

  /**
   * The output of {@code f} on fresh leaf copies of {@code inputs} that require gradients, followed
   * by the gradient of {@code sum(output * weights)} with respect to each input, in order.
   */
  static NDList valueAndGradients(Function<NDList, NDArray> f, NDArray weights, NDArray... inputs) {
    NDList leaves = new NDList();
    for (NDArray input : inputs) {
      NDArray leaf = input.duplicate();
      leaf.setRequiresGradient(true);
      leaves.add(leaf);
    }
    NDList result = new NDList();
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray output = f.apply(leaves);
      collector.backward(output.mul(weights).sum());
      result.add(output.stopGradient());
    }
    for (NDArray leaf : leaves) {
      result.add(leaf.getGradient().duplicate());
    }
    return result;
  }

  /**
   * Asserts that {@code f} and {@code reference} give the same shape and values, and the same
   * gradients of {@code sum(output * weights)} with respect to every input, each gradient non-zero
   * somewhere (so that the comparison is not vacuous).
   */
  static void assertSameValuesAndGradients(
      Function<NDList, NDArray> f,
      Function<NDList, NDArray> reference,
      NDArray weights,
      float tolerance,
      NDArray... inputs) {
    NDList actual = valueAndGradients(f, weights, inputs);
    NDList expected = valueAndGradients(reference, weights, inputs);
    assertEquals(expected.get(0).getShape(), actual.get(0).getShape(), "output shape");
    assertArrayEquals(
        expected.get(0).toFloatArray(), actual.get(0).toFloatArray(), tolerance, "output");
    for (int i = 1; i < actual.size(); i++) {
      assertEquals(inputs[i - 1].getShape(), actual.get(i).getShape(), "gradient shape " + i);
      assertArrayEquals(
          expected.get(i).toFloatArray(),
          actual.get(i).toFloatArray(),
          tolerance,
          "gradient of input " + i);
      assertTrue(actual.get(i).abs().sum().getFloat() > 0, "gradient of input " + i + " is zero");
    }
  }
}
