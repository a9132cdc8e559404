package org.mm1lab.toolkit.arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Precision}: casts that keep the gradient, and float32 islands among float16 arrays. */
class PrecisionTest {

  /**
   * Why {@link Precision#cast} exists: the engine's own cast is not recorded by autograd, so a loss
   * computed after it has no path back to the array before it.
   */
  @Test
  void theEnginesCastCutsTheGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(3, 4));
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = x.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).sum();
        assertThrows(EngineException.class, () -> collector.backward(loss));
      }
    }
  }

  @Test
  void castToFloat16AndBackCarriesTheGradientBackInTheInputsType() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      NDArray x = m.randomNormal(new Shape(3, 4));
      x.setRequiresGradient(true);
      NDArray weights = m.randomNormal(new Shape(3, 4));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray half = Precision.cast(x, DataType.FLOAT16);
        assertEquals(DataType.FLOAT16, half.getDataType());
        assertArrayEquals(
            x.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray(),
            half.toType(DataType.FLOAT32, false).toFloatArray(),
            "the values are the engine's rounding to float16");
        NDArray back = Precision.toFloat32(half);
        assertEquals(DataType.FLOAT32, back.getDataType());
        collector.backward(back.mul(weights).sum());
      }
      assertEquals(DataType.FLOAT32, x.getGradient().getDataType());
      // d/dx sum(w * x) = w, which passed through the float16 copy's backward on its way
      assertArrayEquals(
          weights.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray(),
          x.getGradient().toFloatArray());
    }
  }

  @Test
  void aCastToTheSameTypeIsTheArrayItself() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(2));
      NDArray half = x.toType(DataType.FLOAT16, false);
      assertSame(x, Precision.cast(x, DataType.FLOAT32));
      assertSame(x, Precision.toFloat32(x));
      assertSame(half, Precision.like(half, half));
      assertEquals(DataType.FLOAT16, Precision.like(x, half).getDataType());
    }
  }

  @Test
  void aScalarCasts() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray scalar = m.create(2.5f);
      NDArray half = Precision.cast(scalar, DataType.FLOAT16);
      assertEquals(new Shape(), half.getShape());
      assertEquals(2.5f, half.toType(DataType.FLOAT32, false).getFloat());
    }
  }

  @Test
  void inFloat32RunsTheStepInFloat32AndAnswersInTheInputsType() {
    try (NDManager m = NDManager.newBaseManager()) {
      // 300^2 overflows float16 (largest finite 65504); in float32 the mean square is exact
      NDArray big =
          m.create(new float[] {300f, -300f, 300f, -300f}).toType(DataType.FLOAT16, false);
      List<DataType> seen = new ArrayList<>();
      NDArray rms =
          Precision.inFloat32(
              big,
              x -> {
                seen.add(x.getDataType());
                return x.square().mean().sqrt();
              });
      assertEquals(List.of(DataType.FLOAT32), seen);
      assertEquals(DataType.FLOAT16, rms.getDataType());
      assertEquals(300f, rms.toType(DataType.FLOAT32, false).getFloat());
      assertEquals(
          Float.POSITIVE_INFINITY,
          big.square().mean().sqrt().toType(DataType.FLOAT32, false).getFloat(),
          "the same step in float16 overflows");
    }
  }

  @Test
  void inFloat32OnFloat32InputIsTheStepAlone() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(3));
      NDArray[] given = new NDArray[1];
      NDArray result =
          Precision.inFloat32(
              x,
              in -> {
                given[0] = in;
                return in;
              });
      assertSame(x, given[0]);
      assertSame(x, result);
    }
  }

  @Test
  void inFloat32IsDifferentiableThroughBothCasts() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, 2f, 3f});
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray half = Precision.cast(x, DataType.FLOAT16);
        NDArray squared = Precision.inFloat32(half, in -> in.mul(in));
        assertEquals(DataType.FLOAT16, squared.getDataType());
        collector.backward(Precision.toFloat32(squared).sum());
      }
      assertArrayEquals(new float[] {2f, 4f, 6f}, x.getGradient().toFloatArray());
    }
  }
}
