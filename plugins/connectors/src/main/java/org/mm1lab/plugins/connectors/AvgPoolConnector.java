package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.PatchGrid;

/**
 * MM1's average-pooling connector: adaptive average pooling of the {@code h x w} patch grid to
 * {@code s x s} with {@code s = sqrt(T)}, then a linear projection {@code D_enc -> D_llm}.
 *
 * <p>Input {@code (B, h*w, D_enc)}, raster order; output {@code (B, s*s, D_llm)}, raster order over
 * the pooled grid. Pooling follows PyTorch's {@code adaptive_avg_pool2d} exactly, including
 * non-square grids and sizes that do not divide (see {@link AdaptivePooling}). The only parameters
 * are the projection's {@code (D_enc + 1) * D_llm}.
 */
public final class AvgPoolConnector extends ConnectorBlock {

  private final int side;
  private final float[] poolMatrix;
  private final Linear projection;

  /**
   * @param grid the encoder's patch grid
   * @param side the pooled side {@code sqrt(T)}, at most {@code min(h, w)}
   * @param outputWidth the decoder width {@code D_llm}
   */
  public AvgPoolConnector(PatchGrid grid, int side, int outputWidth) {
    super(grid, side * side, outputWidth);
    if (side < 1 || side > Math.min(grid.height(), grid.width())) {
      throw new IllegalArgumentException("pooled side " + side + " does not fit " + grid);
    }
    this.side = side;
    this.poolMatrix = AdaptivePooling.matrix(grid.height(), grid.width(), side, side);
    projection = addChildBlock("projection", Linear.builder().setUnits(outputWidth).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    checkInput(x.getShape());
    // Pool first: the projection then runs on T tokens instead of N patches.
    NDArray pooled = AdaptivePooling.poolTokens(x, poolMatrix, grid.patches(), side * side);
    return projection.forward(parameterStore, new NDList(pooled), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = checkInput(inputShapes);
    projection.initialize(manager, dataType, new Shape(input.get(0), tokens(), grid.channels()));
  }
}
