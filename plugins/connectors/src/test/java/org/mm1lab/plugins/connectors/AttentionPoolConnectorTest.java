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

/** MM1's attention-pooling connector. */
class AttentionPoolConnectorTest {

  private static final int D_ENC = 16;
  private static final int D_LLM = 24;

  @Test
  void shapesForPaperTokenCounts() {
    for (PatchGrid grid :
        new PatchGrid[] {new PatchGrid(16, 16, D_ENC), new PatchGrid(12, 12, D_ENC)}) {
      for (int t : new int[] {64, 144}) {
        VLConnector c =
            ConnectorTesting.create(
                new AttentionPoolConnectorFactory(), "tokens = " + t + "\nheads = 4", grid, D_LLM);
        assertEquals(t, c.tokens());
        try (NDManager manager = NDManager.newBaseManager()) {
          ConnectorTesting.forwardAndCheckShape(manager, c, grid, 2);
        }
      }
    }
  }

  @Test
  void oneQueryOneHeadWithIdentityProjectionsIsSoftmaxWeightedMean() {
    int width = 4;
    PatchGrid grid = new PatchGrid(2, 3, width);
    VLConnector c =
        ConnectorTesting.create(
            new AttentionPoolConnectorFactory(), "tokens = 1\nheads = 1", grid, width);
    float[] query = {0.5f, -1f, 2f, 0.25f};
    c.setInitializer(ConnectorTesting.IDENTITY, p -> p.getName().equals("weight"));
    c.setInitializer(
        (m, s, t) -> m.create(query, new Shape(1, width)).toType(t, false),
        p -> p.getName().equals("queries"));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = ConnectorTesting.patches(manager, 1, grid);
      c.initialize(manager, DataType.FLOAT32, x.getShape());
      float[] y = c.connect(new ParameterStore(manager, false), x, false).toFloatArray();

      float[] xs = x.toFloatArray();
      int n = grid.patches();
      double[] logits = new double[n];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < width; d++) {
          logits[i] += query[d] * xs[i * width + d];
        }
        logits[i] /= Math.sqrt(width);
        max = Math.max(max, logits[i]);
      }
      double total = 0;
      for (int i = 0; i < n; i++) {
        logits[i] = Math.exp(logits[i] - max);
        total += logits[i];
      }
      float[] expected = new float[width];
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < width; d++) {
          expected[d] += (float) (logits[i] / total * xs[i * width + d]);
        }
      }
      assertArrayEquals(expected, y, 1e-5f);
    }
  }

  @Test
  void headsSplitTheWidth() {
    // Two heads of width 2 with identity projections: each half of the output is its own
    // softmax-weighted mean, with scores from that half of the features only.
    int width = 4;
    PatchGrid grid = new PatchGrid(2, 2, width);
    VLConnector c =
        ConnectorTesting.create(
            new AttentionPoolConnectorFactory(), "tokens = 1\nheads = 2", grid, width);
    float[] query = {1f, -0.5f, 0.3f, 2f};
    c.setInitializer(ConnectorTesting.IDENTITY, p -> p.getName().equals("weight"));
    c.setInitializer(
        (m, s, t) -> m.create(query, new Shape(1, width)).toType(t, false),
        p -> p.getName().equals("queries"));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = ConnectorTesting.patches(manager, 1, grid);
      c.initialize(manager, DataType.FLOAT32, x.getShape());
      float[] y = c.connect(new ParameterStore(manager, false), x, false).toFloatArray();
      float[] xs = x.toFloatArray();
      for (int h = 0; h < 2; h++) {
        double[] w = new double[4];
        double total = 0;
        for (int i = 0; i < 4; i++) {
          double s = 0;
          for (int d = 2 * h; d < 2 * h + 2; d++) {
            s += query[d] * xs[i * width + d];
          }
          w[i] = Math.exp(s / Math.sqrt(2));
          total += w[i];
        }
        for (int d = 2 * h; d < 2 * h + 2; d++) {
          double e = 0;
          for (int i = 0; i < 4; i++) {
            e += w[i] / total * xs[i * width + d];
          }
          assertEquals(e, y[d], 1e-5, "feature " + d);
        }
      }
    }
  }

  @Test
  void gradientsReachEveryParameter() {
    PatchGrid grid = new PatchGrid(6, 5, D_ENC);
    VLConnector c =
        ConnectorTesting.create(
            new AttentionPoolConnectorFactory(), "tokens = 9\nheads = 4", grid, D_LLM);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.assertGradientsReachEveryParameter(manager, c, grid);
    }
  }

  @Test
  void headsThatDoNotDivideTheEncoderWidthAreRejected() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new AttentionPoolConnectorFactory(),
                    "tokens = 64\nheads = 5",
                    new PatchGrid(4, 4, 48),
                    8));
    assertEquals("heads", e.key());
    assertTrue(e.getMessage().contains("D_enc = 48"), e.getMessage());
    assertTrue(e.getMessage().contains("such as 4 or 6"), e.getMessage());
  }

  @Test
  void tooManyTokensAreRejected() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new AttentionPoolConnectorFactory(),
                    "tokens = 0\nheads = 1",
                    new PatchGrid(4, 4, 8),
                    8));
    assertEquals("tokens", e.key());
  }
}
