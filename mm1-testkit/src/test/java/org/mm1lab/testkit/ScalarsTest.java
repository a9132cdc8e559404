package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * {@link Scalars}' constants survive until the backward pass: between forward and backward the test
 * frees every collectable direct buffer (garbage collection) and refills freed native memory with
 * NaN ({@link Blocks#churnNativeMemory}), which is what a busy training loop does by accident.
 * (Here rather than in the toolkit, which holds {@code Scalars}: the churn is the kit's, and the
 * toolkit cannot depend on the kit, which depends on it.)
 */
class ScalarsTest {

  private static final int ROUNDS = 40;

  @BeforeAll
  static void offlineEngine() {
    Blocks.offlineEngine();
  }

  @Test
  void multiplyGradientIsTheFactorEvenAfterTheCollectorRan() {
    float[] expected = new float[8];
    Arrays.fill(expected, 3f);
    assertArrayEquals(expected, gradientAfterChurn(Scalars::multiply, 3.0, expected));
  }

  @Test
  void divideGradientIsTheReciprocalEvenAfterTheCollectorRan() {
    float[] expected = new float[8];
    Arrays.fill(expected, 0.25f);
    assertArrayEquals(expected, gradientAfterChurn(Scalars::divide, 4.0, expected));
  }

  @Test
  void valuesMatchTheArithmetic() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1f, -2f, 0.5f});
      assertArrayEquals(new float[] {2.5f, -5f, 1.25f}, Scalars.multiply(x, 2.5).toFloatArray());
      assertArrayEquals(new float[] {0.5f, -1f, 0.25f}, Scalars.divide(x, 2).toFloatArray());
    }
  }

  /**
   * The gradient of {@code op(x, c).sum()} with respect to {@code x} in {@link #ROUNDS} rounds,
   * each with a collection and NaN-filled allocations between forward and backward; returns the
   * first gradient that differs from {@code expected}, or the last one if none does.
   */
  private static float[] gradientAfterChurn(
      BiFunction<NDArray, Double, NDArray> op, double constant, float[] expected) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new Shape(8));
      x.setRequiresGradient(true);
      float[] worst = null;
      for (int round = 0; round < ROUNDS; round++) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.zeroGradients();
          NDArray y = op.apply(x, constant).sum();
          Blocks.churnNativeMemory();
          collector.backward(y);
          float[] g = x.getGradient().toFloatArray();
          if (worst == null || !Arrays.equals(g, expected)) {
            worst = g;
          }
        }
      }
      return worst;
    }
  }
}
