package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Family;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/**
 * The contract of a {@link VLConnector}: patch features {@code (B, N, D_enc)} on the encoder grid
 * it was built for become image tokens {@code (B, T, D_llm)} with {@code T = tokens()} and {@code
 * D_llm} the decoder width of its context, for every grid and width; plus the option, gradient,
 * seed and save/load contracts every component owes.
 *
 * <pre>{@code
 * class MyConnectorContractTest extends VLConnectorContract {
 *   protected VLConnectorFactory factory() { return new MyConnectorFactory(); }
 *   protected String options() { return "tokens = 4"; }
 *   protected List<BadOption> badOptions() { return List.of(BadOption.of("tokens", "0")); }
 * }
 * }</pre>
 */
public abstract class VLConnectorContract extends BlockContract<VLConnector, ConnectorContext> {

  /** For subclasses. */
  protected VLConnectorContract() {}

  @Override
  protected abstract VLConnectorFactory factory();

  @Override
  protected final Family family() {
    return Family.CONNECTOR;
  }

  /**
   * Encoder grids the connector is built for and fed: 4x4, 6x6 and 8x8 patches of 8, 12 and 16
   * features by default. Override when the connector needs other grids.
   */
  protected List<PatchGrid> grids() {
    return List.of(new PatchGrid(4, 4, 8), new PatchGrid(6, 6, 12), new PatchGrid(8, 8, 16));
  }

  /** Decoder widths the connector must produce. */
  protected List<Integer> decoderWidths() {
    return List.of(12, 32);
  }

  /** Batch sizes the shape test feeds. */
  protected List<Integer> batchSizes() {
    return List.of(1, 3);
  }

  @Override
  protected ConnectorContext context() {
    return new ConnectorContext(SEED, grids().get(0), decoderWidths().get(0));
  }

  @Override
  final void initialize(VLConnector connector, NDManager manager) {
    PatchGrid grid = context().encoderGrid();
    connector.initialize(manager, DataType.FLOAT32, new Shape(1, grid.patches(), grid.channels()));
  }

  @Override
  final NDArray forward(
      VLConnector connector,
      NDManager manager,
      ParameterStore store,
      DataType inputType,
      boolean training) {
    NDArray patches = patches(manager, context().encoderGrid(), 2).toType(inputType, false);
    return connector.connect(store, patches, training);
  }

  private static NDArray patches(NDManager manager, PatchGrid grid, int batch) {
    return Blocks.randomNormal(manager, new Shape(batch, grid.patches(), grid.channels()), 13);
  }

  @Test
  public void imageTokensHaveTheDecoderWidthForEveryGrid() {
    for (PatchGrid grid : grids()) {
      for (int width : decoderWidths()) {
        String where = grid + " to width " + width;
        try (NDManager manager = NDManager.newBaseManager()) {
          VLConnector connector = create(new ConnectorContext(SEED, grid, width));
          assertEquals(width, connector.outputWidth(), where + ": outputWidth()");
          assertTrue(connector.tokens() > 0, where + ": tokens() must be positive");
          connector.initialize(
              manager, DataType.FLOAT32, new Shape(1, grid.patches(), grid.channels()));
          for (int batch : batchSizes()) {
            NDArray input = patches(manager, grid, batch);
            Shape expected = new Shape(batch, connector.tokens(), width);
            NDArray tokens = connector.connect(new ParameterStore(manager, false), input, false);
            Blocks.assertShapeAndFinite(expected, tokens, where + ", batch " + batch);
            assertEquals(
                expected,
                connector.getOutputShapes(new Shape[] {input.getShape()})[0],
                where + ": getOutputShapes must agree with forward");
          }
        }
      }
    }
  }
}
