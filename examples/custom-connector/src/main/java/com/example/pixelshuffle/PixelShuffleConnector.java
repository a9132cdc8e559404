package com.example.pixelshuffle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;

/**
 * Pixel-shuffle connector (the spatial merge of LLaVA-style models): the {@code h x w} grid of
 * {@code D_enc} patch features is cut into {@code f x f} neighbourhoods, each neighbourhood's
 * features are concatenated (row by row) into one {@code f^2 * D_enc} vector, and a two-layer MLP
 * (Linear, GELU, Linear) maps it to the decoder width. Tokens: {@code T = (h / f) * (w / f)}, in
 * raster order of the neighbourhoods. It keeps all the image's detail in fewer, wider tokens,
 * where average pooling would blur it.
 */
final class PixelShuffleConnector extends AbstractBlock implements VLConnector {

  private static final byte VERSION = 1;

  private final PatchGrid grid;
  private final int factor;
  private final int outputWidth;
  private final Linear up;
  private final Linear down;

  PixelShuffleConnector(PatchGrid grid, int factor, int hidden, int outputWidth) {
    super(VERSION);
    this.grid = grid;
    this.factor = factor;
    this.outputWidth = outputWidth;
    this.up = addChildBlock("up", Linear.builder().setUnits(hidden).build());
    this.down = addChildBlock("down", Linear.builder().setUnits(outputWidth).build());
  }

  @Override
  public int tokens() {
    return (grid.height() / factor) * (grid.width() / factor);
  }

  @Override
  public int outputWidth() {
    return outputWidth;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray merged = shuffle(inputs.singletonOrThrow());
    NDArray hidden =
        Activation.gelu(up.forward(parameterStore, new NDList(merged), training).singletonOrThrow());
    return down.forward(parameterStore, new NDList(hidden), training);
  }

  /** {@code (B, h*w, D)} to {@code (B, T, f*f*D)}, each token one neighbourhood, row by row. */
  NDArray shuffle(NDArray patches) {
    Shape shape = checkInput(patches.getShape());
    long batch = shape.get(0);
    long channels = grid.channels();
    int rows = grid.height() / factor;
    int columns = grid.width() / factor;
    return patches
        .reshape(batch, rows, factor, columns, factor, channels)
        .transpose(0, 1, 3, 2, 4, 5)
        .reshape(batch, (long) rows * columns, (long) factor * factor * channels);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape input = checkInput(inputShapes[0]);
    return new Shape[] {new Shape(input.get(0), tokens(), outputWidth)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = checkInput(inputShapes[0]);
    Shape merged = new Shape(input.get(0), tokens(), (long) factor * factor * grid.channels());
    up.initialize(manager, dataType, merged);
    down.initialize(manager, dataType, up.getOutputShapes(new Shape[] {merged}));
  }

  private Shape checkInput(Shape shape) {
    if (shape.dimension() != 3 || shape.get(1) != grid.patches() || shape.get(2) != grid.channels()) {
      throw new IllegalArgumentException(
          "pixel-shuffle expects (B, " + grid.patches() + ", " + grid.channels() + ") for " + grid
              + ", got " + shape);
    }
    return shape;
  }
}
