package com.example.pixelshuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.VLConnectorContract;

/**
 * The kit's connector contract (shapes for several grids and widths, gradients, defaults, seeds,
 * save/load, bad options), plus what is special about pixel shuffle.
 */
class PixelShuffleContractTest extends VLConnectorContract {

  @Override
  protected VLConnectorFactory factory() {
    return new PixelShuffleConnectorFactory();
  }

  @Override
  protected List<PatchGrid> grids() {
    // Even grids only: pixel shuffle needs the grid divisible by the factor.
    return List.of(new PatchGrid(4, 4, 8), new PatchGrid(6, 8, 12), new PatchGrid(8, 8, 16));
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(
        BadOption.of("factor", "0", "between 1 and 16"),
        BadOption.of("factor", "3", "not divisible by 3"));
  }

  @Test
  void anOddGridIsRefusedSayingWhatToChange() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () -> create(new ConnectorContext(SEED, new PatchGrid(7, 7, 8), 16)));
    assertEquals("factor", e.key());
    assertTrue(e.getMessage().contains("7x7 patch grid is not divisible by 2"), e.getMessage());
  }

  @Test
  void eachTokenConcatenatesOneTwoByTwoNeighbourhoodRowByRow() {
    PatchGrid grid = new PatchGrid(2, 4, 1);
    PixelShuffleConnector connector =
        (PixelShuffleConnector) create(new ConnectorContext(SEED, grid, 4));
    assertEquals(2, connector.tokens());
    try (NDManager manager = NDManager.newBaseManager()) {
      // Patch (r, c) holds the value 10r + c.
      NDArray patches = manager.create(new float[] {0, 1, 2, 3, 10, 11, 12, 13}, new Shape(1, 8, 1));
      NDArray merged = connector.shuffle(patches);
      assertEquals(new Shape(1, 2, 4), merged.getShape());
      assertArrayEquals(new float[] {0, 1, 10, 11, 2, 3, 12, 13}, merged.toFloatArray());
    }
  }
}
