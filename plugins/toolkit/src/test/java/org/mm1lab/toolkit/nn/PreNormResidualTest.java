package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link PreNormResidual} against {@code x + sublayer(norm(x))} written out of place, with a
 * normalisation and a linear sublayer whose weights are an input of their own.
 */
class PreNormResidualTest {

  @Test
  void addsTheBranchOfTheNormalisedStreamToTheStream() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(10);
      NDArray x = m.randomNormal(new Shape(2, 3, 4)); // (B, N, D)
      NDArray w = m.randomNormal(new Shape(4, 4));
      Differentiation.assertSameValuesAndGradients(
          in ->
              PreNormResidual.apply(in.get(0), PreNormResidualTest::norm, y -> y.matMul(in.get(1))),
          in -> in.get(0).add(norm(in.get(0)).matMul(in.get(1))),
          m.randomNormal(new Shape(2, 3, 4)),
          1e-6f,
          x,
          w);
    }
  }

  @Test
  void theSumIsWrittenIntoTheSublayersOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(6f).reshape(1, 2, 3);
      AtomicReference<NDArray> branch = new AtomicReference<>();
      UnaryOperator<NDArray> sublayer =
          y -> {
            branch.set(y.matMul(m.eye(3)));
            return branch.get();
          };
      NDArray result = PreNormResidual.apply(x, y -> y, sublayer);
      assertSame(branch.get(), result, "no array of its own for the sum");
      assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, result.toFloatArray(), 0f);
    }
  }

  /** A normalisation over the last axis, written out: {@code (x - mean) / sqrt(var + eps)}. */
  private static NDArray norm(NDArray x) {
    NDArray centred = x.sub(x.mean(new int[] {-1}, true));
    NDArray variance = centred.square().mean(new int[] {-1}, true);
    return centred.div(variance.add(1e-5f).sqrt());
  }
}
