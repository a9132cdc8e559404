package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;

/** Honeybee's C-Abstractor. Tiny widths keep it fast; the structure is the real one. */
class CAbstractorTest {

  private static final int D_ENC = 8;
  private static final int D_LLM = 12;

  @Test
  void shapesForPaperTokenCounts() {
    for (PatchGrid grid :
        new PatchGrid[] {new PatchGrid(16, 16, D_ENC), new PatchGrid(12, 12, D_ENC)}) {
      for (int t : new int[] {64, 144}) {
        VLConnector c =
            ConnectorTesting.create(
                new CAbstractorFactory(), "tokens = " + t + "\ndepth = 1\nhidden = 8", grid, D_LLM);
        assertEquals(t, c.tokens());
        assertEquals(D_LLM, c.outputWidth());
        try (NDManager manager = NDManager.newBaseManager()) {
          ConnectorTesting.forwardAndCheckShape(manager, c, grid, 2);
        }
      }
    }
  }

  @Test
  void worksOnNonSquareGridWithDefaultDepth() {
    PatchGrid grid = new PatchGrid(14, 10, D_ENC);
    VLConnector c =
        ConnectorTesting.create(
            new CAbstractorFactory(), "tokens = 49\ndepth = 3\nhidden = 0", grid, D_LLM);
    assertEquals(D_ENC, ((CAbstractor) c).hidden(), "hidden = 0 means the encoder width");
    assertEquals(3, ((CAbstractor) c).depth());
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.forwardAndCheckShape(manager, c, grid, 2);
    }
  }

  @Test
  void gradientsReachEveryParameterIncludingWideningShortcut() {
    PatchGrid grid = new PatchGrid(6, 5, D_ENC);
    VLConnector c =
        ConnectorTesting.create(
            new CAbstractorFactory(), "tokens = 9\ndepth = 2\nhidden = 12", grid, D_LLM);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConnectorTesting.assertGradientsReachEveryParameter(manager, c, grid);
      long shortcuts =
          c.getParameters().keys().stream().filter(k -> k.contains("shortcut")).count();
      // Only the first block widens D_enc -> hidden: one 1x1 conv weight plus its norm's two.
      assertEquals(3, shortcuts, c.getParameters().keys().toString());
    }
  }

  @Test
  void channelLayerNormNormalisesEachPixelOverChannels() {
    ChannelLayerNorm norm = new ChannelLayerNorm(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(3f, 2f, new Shape(2, 5, 3, 4), DataType.FLOAT32);
      norm.initialize(manager, DataType.FLOAT32, x.getShape());
      NDArray y =
          norm.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
      assertEquals(x.getShape(), y.getShape());
      NDArray mean = y.mean(new int[] {1});
      NDArray var = y.sub(mean.expandDims(1)).square().mean(new int[] {1});
      assertTrue(mean.abs().max().getFloat() < 1e-5f);
      assertTrue(var.sub(1f).abs().max().getFloat() < 1e-3f);
    }
  }

  @Test
  void badTokenCountNamesNearestSquares() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new CAbstractorFactory(),
                    "tokens = 60\ndepth = 3\nhidden = 0",
                    new PatchGrid(16, 16, D_ENC),
                    D_LLM));
    assertEquals("tokens", e.key());
    assertTrue(e.getMessage().contains("use 49 or 64"), e.getMessage());
  }

  @Test
  void negativeHiddenIsRejected() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () ->
                ConnectorTesting.create(
                    new CAbstractorFactory(),
                    "tokens = 64\ndepth = 3\nhidden = -1",
                    new PatchGrid(16, 16, D_ENC),
                    D_LLM));
    assertEquals("hidden", e.key());
  }
}
