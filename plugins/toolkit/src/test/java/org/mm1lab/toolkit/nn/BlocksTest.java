package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** {@link Blocks#apply} on a {@link Linear} against {@code x W^T + b} written out. */
class BlocksTest {

  @Test
  void runsTheBlockOnOneArrayAndReturnsItsOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(12);
      Linear linear = Linear.builder().setUnits(3).build();
      linear.initialize(m, DataType.FLOAT32, new Shape(2, 4, 5));
      NDArray weight = linear.getParameters().get("weight").getArray();
      NDArray bias = linear.getParameters().get("bias").getArray();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomNormal(new Shape(2, 4, 5));
      NDArray outputWeights = m.randomNormal(new Shape(2, 4, 3));
      // the gradient reaches the block's own parameters: d sum(y * g) / dW = g^T x
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = Blocks.apply(linear, ps, x, true);
        collector.backward(y.mul(outputWeights).sum());
      }
      NDArray expected = outputWeights.reshape(8, 3).transpose().matMul(x.reshape(8, 5));
      assertArrayEquals(expected.toFloatArray(), weight.getGradient().toFloatArray(), 1e-5f);

      // and the output and the input's gradient are those of x W^T + b
      Differentiation.assertSameValuesAndGradients(
          in -> Blocks.apply(linear, ps, in.get(0), true),
          in -> in.get(0).matMul(weight.transpose()).add(bias),
          outputWeights,
          1e-6f,
          x);
    }
  }
}
