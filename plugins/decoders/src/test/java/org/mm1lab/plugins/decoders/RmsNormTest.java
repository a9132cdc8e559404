package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * {@link RmsNorm} keeps its scalars from call to call, whatever scopes and managers come and go.
 */
class RmsNormTest {

  private static final float[] EXPECTED = {
    (float) (3 / Math.sqrt(12.5)), (float) (4 / Math.sqrt(12.5))
  };

  private static float[] normalize(RmsNorm norm, NDManager m) {
    NDArray x = m.create(new float[][] {{3, 4}});
    return norm.normalize(new ParameterStore(m, false), x, false).toFloatArray();
  }

  @Test
  void itsScalarsOutliveTheScopeOfTheirFirstCall() {
    try (NDManager m = NDManager.newBaseManager()) {
      RmsNorm norm = new RmsNorm(2, 0f);
      norm.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      try (NDScope first = new NDScope()) {
        assertArrayEquals(EXPECTED, normalize(norm, m), 1e-6f);
      }
      assertArrayEquals(EXPECTED, normalize(norm, m), 1e-6f);
    }
  }

  @Test
  void itsScalarsAreMadeAgainWhenTheirManagerIsClosed() {
    try (NDManager m = NDManager.newBaseManager()) {
      RmsNorm norm = new RmsNorm(2, 0f);
      norm.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      NDArray x = m.create(new float[][] {{3, 4}});
      // a copying store holds the gain, and so the scalars, in its own manager
      try (NDManager first = m.newSubManager()) {
        float[] y = norm.normalize(new ParameterStore(first, true), x, false).toFloatArray();
        assertArrayEquals(EXPECTED, y, 1e-6f);
      }
      try (NDManager second = m.newSubManager()) {
        float[] y = norm.normalize(new ParameterStore(second, true), x, false).toFloatArray();
        assertArrayEquals(EXPECTED, y, 1e-6f);
      }
    }
  }
}
