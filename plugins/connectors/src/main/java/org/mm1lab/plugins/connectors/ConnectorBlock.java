package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;

/**
 * Common ground of the built-in connectors: the fixed input grid, the token count and the output
 * width, and the input-shape check every connector needs.
 *
 * <p>Shape contract (from {@link VLConnector}): input {@code (B, N, D_enc)} with {@code N =
 * grid.patches()} and {@code D_enc = grid.channels()}; output {@code (B, T, D_llm)} with {@code T =
 * tokens()} and {@code D_llm = outputWidth()}.
 */
abstract class ConnectorBlock extends AbstractBlock implements VLConnector {

  private static final byte VERSION = 1;

  /** The encoder's patch grid this connector was built for. */
  protected final PatchGrid grid;

  private final int tokens;
  private final int outputWidth;

  ConnectorBlock(PatchGrid grid, int tokens, int outputWidth) {
    super(VERSION);
    this.grid = grid;
    this.tokens = tokens;
    this.outputWidth = outputWidth;
  }

  @Override
  public final int tokens() {
    return tokens;
  }

  @Override
  public final int outputWidth() {
    return outputWidth;
  }

  /** The encoder grid the connector was built for. */
  public final PatchGrid grid() {
    return grid;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape input = checkInput(inputShapes);
    return new Shape[] {new Shape(input.get(0), tokens, outputWidth)};
  }

  /**
   * Fails early, with sizes in the message, when the input is not {@code (B, N, D_enc)} on this
   * connector's grid: a mismatch would otherwise surface as an opaque native reshape error.
   */
  protected final Shape checkInput(Shape... inputShapes) {
    if (inputShapes.length != 1) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " takes one input, got " + inputShapes.length);
    }
    Shape shape = inputShapes[0];
    if (shape.dimension() != 3
        || shape.get(1) != grid.patches()
        || shape.get(2) != grid.channels()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + " expects (B, "
              + grid.patches()
              + ", "
              + grid.channels()
              + ") patch features for "
              + grid
              + ", got "
              + shape);
    }
    return shape;
  }
}
