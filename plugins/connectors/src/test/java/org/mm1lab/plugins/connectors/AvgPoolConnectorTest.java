package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;

/** MM1's average-pooling connector and the adaptive pooling under it. */
class AvgPoolConnectorTest {

  private static final int D_ENC = 16;
  private static final int D_LLM = 24;

  @Test
  void shapesForPaperTokenCountsOnSquareAndNonSquareGrids() {
    PatchGrid[] grids = {
      new PatchGrid(16, 16, D_ENC), new PatchGrid(12, 12, D_ENC), new PatchGrid(14, 10, D_ENC)
    };
    int[][] tokens = {{64, 144}, {64, 144}, {64, 49, 100}};
    for (int g = 0; g < grids.length; g++) {
      for (int t : tokens[g]) {
        VLConnector c =
            ConnectorTesting.create(
                new AvgPoolConnectorFactory(), "tokens = " + t, grids[g], D_LLM);
        assertEquals(t, c.tokens());
        assertEquals(D_LLM, c.outputWidth());
        try (NDManager manager = NDManager.newBaseManager()) {
          ConnectorTesting.forwardAndCheckShape(manager, c, grids[g], 2);
        }
      }
    }
  }

  @Test
  void poolsFourByFourToTwoByTwoAsHandComputedMeans() {
    PatchGrid grid = new PatchGrid(4, 4, 3);
    VLConnector c = ConnectorTesting.create(new AvgPoolConnectorFactory(), "tokens = 4", grid, 3);
    c.setInitializer(ConnectorTesting.IDENTITY, p -> p.getName().equals("weight"));
    try (NDManager manager = NDManager.newBaseManager()) {
      // Patch (r, c) has features (r, c, 10r + c): each mean is easy to check by eye.
      float[] data = new float[16 * 3];
      for (int r = 0; r < 4; r++) {
        for (int col = 0; col < 4; col++) {
          int i = (r * 4 + col) * 3;
          data[i] = r;
          data[i + 1] = col;
          data[i + 2] = 10 * r + col;
        }
      }
      NDArray x = manager.create(data, new Shape(1, 16, 3));
      c.initialize(manager, DataType.FLOAT32, x.getShape());
      float[] y = c.connect(new ParameterStore(manager, false), x, false).toFloatArray();
      // Token (i, j) averages rows 2i..2i+1 and columns 2j..2j+1.
      float[] expected = {
        0.5f, 0.5f, 5.5f, // top-left
        0.5f, 2.5f, 7.5f, // top-right
        2.5f, 0.5f, 25.5f, // bottom-left
        2.5f, 2.5f, 27.5f // bottom-right
      };
      assertArrayEquals(expected, y, 1e-5f);
    }
  }

  @Test
  void nonIntegralPoolingUsesPyTorchOverlappingBins() {
    // 5x3 to 2x2: PyTorch bins are rows [0,3) and [2,5), columns [0,2) and [1,3); they overlap.
    float[] p = AdaptivePooling.matrix(5, 3, 2, 2);
    float[][] x = new float[5][3];
    for (int r = 0; r < 5; r++) {
      for (int col = 0; col < 3; col++) {
        x[r][col] = (float) Math.pow(2, r * 3 + col) % 97; // distinct, irregular values
      }
    }
    int[][] rowBins = {{0, 3}, {2, 5}};
    int[][] colBins = {{0, 2}, {1, 3}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double sum = 0;
        int count = 0;
        for (int r = rowBins[i][0]; r < rowBins[i][1]; r++) {
          for (int col = colBins[j][0]; col < colBins[j][1]; col++) {
            sum += x[r][col];
            count++;
          }
        }
        double pooled = 0;
        for (int r = 0; r < 5; r++) {
          for (int col = 0; col < 3; col++) {
            pooled += p[(i * 2 + j) * 15 + r * 3 + col] * x[r][col];
          }
        }
        assertEquals(sum / count, pooled, 1e-4, "cell " + i + "," + j);
      }
    }
  }

  @Test
  void gradientsReachEveryParameter() {
    PatchGrid grid = new PatchGrid(14, 10, D_ENC);
    VLConnector c =
        ConnectorTesting.create(new AvgPoolConnectorFactory(), "tokens = 64", grid, D_LLM);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.assertGradientsReachEveryParameter(manager, c, grid);
    }
  }

  @Test
  void nonSquareTokenCountNamesNearestSquares() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new AvgPoolConnectorFactory(), "tokens = 50", new PatchGrid(16, 16, 8), 8));
    assertEquals("tokens", e.key());
    assertTrue(e.getMessage().contains("50 is not a positive perfect square"), e.getMessage());
    assertTrue(e.getMessage().contains("use 49 or 64"), e.getMessage());
  }

  @Test
  void tokenGridLargerThanEncoderGridNamesLargestValidSquares() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new AvgPoolConnectorFactory(), "tokens = 144", new PatchGrid(14, 10, 8), 8));
    assertEquals("tokens", e.key());
    assertTrue(e.getMessage().contains("12x12 pooled grid"), e.getMessage());
    assertTrue(e.getMessage().contains("14x10 patch grid"), e.getMessage());
    assertTrue(e.getMessage().contains("use 81 or 100"), e.getMessage());
  }

  @Test
  void zeroTokensIsRejected() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new AvgPoolConnectorFactory(), "tokens = 0", new PatchGrid(16, 16, 8), 8));
    assertTrue(e.getMessage().contains("use 1"), e.getMessage());
  }

  @Test
  void wrongInputShapeIsReportedWithSizes() {
    PatchGrid grid = new PatchGrid(4, 4, 8);
    VLConnector c = ConnectorTesting.create(new AvgPoolConnectorFactory(), "tokens = 4", grid, 8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> c.getOutputShapes(new Shape[] {new Shape(2, 15, 8)}));
    assertTrue(e.getMessage().contains("(B, 16, 8)"), e.getMessage());
  }
}
