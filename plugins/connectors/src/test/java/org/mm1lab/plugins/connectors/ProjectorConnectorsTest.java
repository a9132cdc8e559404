package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;

/** The per-patch projectors: {@code linear} and {@code mlp}. */
class ProjectorConnectorsTest {

  private static final int D_ENC = 16;
  private static final int D_LLM = 24;

  @Test
  void linearKeepsEveryPatch() {
    for (PatchGrid grid :
        new PatchGrid[] {new PatchGrid(16, 16, D_ENC), new PatchGrid(12, 12, D_ENC)}) {
      VLConnector c =
          ConnectorTesting.create(new LinearConnectorFactory(), "bias = true", grid, D_LLM);
      assertEquals(grid.patches(), c.tokens());
      assertEquals(D_LLM, c.outputWidth());
      try (NDManager manager = NDManager.newBaseManager()) {
        ConnectorTesting.forwardAndCheckShape(manager, c, grid, 2);
      }
    }
  }

  @Test
  void linearParameterCountMatchesFormula() {
    PatchGrid grid = new PatchGrid(4, 3, D_ENC);
    try (NDManager manager = NDManager.newBaseManager()) {
      VLConnector withBias =
          ConnectorTesting.create(new LinearConnectorFactory(), "bias = true", grid, D_LLM);
      ConnectorTesting.forwardAndCheckShape(manager, withBias, grid, 1);
      assertEquals((long) D_ENC * D_LLM + D_LLM, ConnectorTesting.parameterCount(withBias));

      VLConnector noBias =
          ConnectorTesting.create(new LinearConnectorFactory(), "bias = false", grid, D_LLM);
      ConnectorTesting.forwardAndCheckShape(manager, noBias, grid, 1);
      assertEquals((long) D_ENC * D_LLM, ConnectorTesting.parameterCount(noBias));
    }
  }

  @Test
  void linearGradientsReachEveryParameter() {
    PatchGrid grid = new PatchGrid(4, 4, D_ENC);
    VLConnector c =
        ConnectorTesting.create(new LinearConnectorFactory(), "bias = true", grid, D_LLM);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.assertGradientsReachEveryParameter(manager, c, grid);
    }
  }

  @Test
  void mlpShapesAndParameterCount() {
    for (int depth = 1; depth <= 3; depth++) {
      PatchGrid grid = new PatchGrid(12, 12, D_ENC);
      VLConnector c =
          ConnectorTesting.create(new MlpConnectorFactory(), "depth = " + depth, grid, D_LLM);
      assertEquals(144, c.tokens());
      try (NDManager manager = NDManager.newBaseManager()) {
        ConnectorTesting.forwardAndCheckShape(manager, c, grid, 2);
        long expected = (long) (D_ENC + 1) * D_LLM + (long) (depth - 1) * (D_LLM + 1) * D_LLM;
        assertEquals(expected, ConnectorTesting.parameterCount(c), "depth " + depth);
      }
    }
  }

  @Test
  void mlpAppliesGeluBetweenLayers() {
    // With identity weights and zero biases, mlp2x is exactly gelu(x).
    PatchGrid grid = new PatchGrid(2, 2, 4);
    VLConnector c = ConnectorTesting.create(new MlpConnectorFactory(), "depth = 2", grid, 4);
    c.setInitializer(ConnectorTesting.IDENTITY, p -> p.getName().equals("weight"));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = ConnectorTesting.patches(manager, 1, grid);
      c.initialize(manager, DataType.FLOAT32, x.getShape());
      NDArray y = c.connect(new ParameterStore(manager, false), x, false);
      float[] in = x.toFloatArray();
      float[] out = y.toFloatArray();
      for (int i = 0; i < in.length; i++) {
        double v = in[i];
        double gelu = 0.5 * v * (1 + erf(v / Math.sqrt(2)));
        assertEquals(gelu, out[i], 1e-4, "element " + i);
      }
    }
  }

  @Test
  void mlpGradientsReachEveryParameter() {
    PatchGrid grid = new PatchGrid(4, 4, D_ENC);
    VLConnector c = ConnectorTesting.create(new MlpConnectorFactory(), "depth = 3", grid, D_LLM);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.assertGradientsReachEveryParameter(manager, c, grid);
    }
  }

  @Test
  void mlpRejectsZeroDepth() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new MlpConnectorFactory(), "depth = 0", new PatchGrid(4, 4, 8), 8));
    assertEquals("depth", e.key());
    assertTrue(e.getMessage().contains("between 1 and 16"), e.getMessage());
  }

  /** Abramowitz-Stegun 7.1.26 (error below 1.5e-7), enough for a GELU reference. */
  static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y =
        1
            - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-x * x);
    return Math.signum(x) * y;
  }
}
