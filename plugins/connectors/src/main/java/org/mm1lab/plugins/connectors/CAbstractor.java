package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.nn.Activations;
import org.mm1lab.toolkit.nn.Blocks;

/**
 * Honeybee's C-Abstractor, the convolutional connector MM1 compared: locality-preserving
 * abstraction of the patch grid to {@code sqrt(T) x sqrt(T)} tokens.
 *
 * <ol>
 *   <li>add a learnable position embedding {@code (1, N, D_enc)} to the patch features;
 *   <li>lay them out as maps {@code (B, h, w, D_enc)} (channels-last, the layout every stage
 *       computes in);
 *   <li>stage 1: {@code depth} {@link BottleneckBlock}s, the first widening {@code D_enc ->
 *       hidden};
 *   <li>adaptive average pooling to {@code s x s}, {@code s = sqrt(T)} (as PyTorch defines it);
 *   <li>stage 2: {@code depth} more blocks at width {@code hidden};
 *   <li>flatten in raster order to {@code (B, T, hidden)} and read out with {@code Linear(hidden,
 *       D_llm) -> SiLU -> Linear(D_llm, D_llm)}.
 * </ol>
 *
 * <p>Input {@code (B, h*w, D_enc)}; output {@code (B, T, D_llm)}. Works on non-square grids.
 */
public final class CAbstractor extends ConnectorBlock {

  private final int side;
  private final int hidden;
  private final float[] poolMatrix;
  private volatile NDArray pool;
  private final Parameter positionEmbedding;
  private final List<BottleneckBlock> stage1 = new ArrayList<>();
  private final List<BottleneckBlock> stage2 = new ArrayList<>();
  private final Linear readout1;
  private final Linear readout2;

  /**
   * @param grid the encoder's patch grid
   * @param side the pooled side {@code sqrt(T)}, at most {@code min(h, w)}
   * @param depth bottleneck blocks per stage, at least 1
   * @param hidden channel width of the stages
   * @param outputWidth the decoder width {@code D_llm}
   */
  public CAbstractor(PatchGrid grid, int side, int depth, int hidden, int outputWidth) {
    super(grid, side * side, outputWidth);
    if (side < 1 || side > Math.min(grid.height(), grid.width()) || depth < 1 || hidden < 1) {
      throw new IllegalArgumentException(
          "bad C-Abstractor sizes: side " + side + ", depth " + depth + ", hidden " + hidden);
    }
    this.side = side;
    this.hidden = hidden;
    this.poolMatrix = AdaptivePooling.matrix(grid.height(), grid.width(), side, side);
    positionEmbedding =
        addParameter(
            Parameter.builder()
                .setName("position_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, grid.patches(), grid.channels()))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
    for (int i = 0; i < depth; i++) {
      int in = i == 0 ? grid.channels() : hidden;
      stage1.add(addChildBlock("stage1_block" + (i + 1), new BottleneckBlock(in, hidden)));
    }
    for (int i = 0; i < depth; i++) {
      stage2.add(addChildBlock("stage2_block" + (i + 1), new BottleneckBlock(hidden, hidden)));
    }
    readout1 = addChildBlock("readout1", Linear.builder().setUnits(outputWidth).build());
    readout2 = addChildBlock("readout2", Linear.builder().setUnits(outputWidth).build());
  }

  /**
   * The pooling matrix {@code (T, N)} on the parameters' device and type, made once and kept with
   * the parameters: building it from the Java array on every call was a host-to-device copy per
   * forward pass.
   *
   * @param like a parameter array: its manager (the model's), device and type
   */
  private NDArray poolMatrix(NDArray like) {
    NDArray cached = pool;
    if (cached == null
        || cached.isReleased()
        || !cached.getDevice().equals(like.getDevice())
        || cached.getDataType() != like.getDataType()) {
      NDArray created =
          like.getManager()
              .create(poolMatrix, new Shape(tokens(), grid.patches()))
              .toType(like.getDataType(), false);
      // a constant of the model, not a temporary of the step whose scope happens to be open
      NDScope.unregister(created);
      pool = created;
      cached = created;
    }
    return cached;
  }

  /** Channel width of the convolutional stages. */
  public int hidden() {
    return hidden;
  }

  /** Bottleneck blocks per stage. */
  public int depth() {
    return stage1.size();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    checkInput(x.getShape());
    long batch = x.getShape().get(0);
    NDArray pos = ps.getValue(positionEmbedding, x.getDevice(), training);
    // Channels-last throughout: (B, N, C) in raster order is already (B, h, w, C), and the pooled
    // (B, T, hidden) is already the readout's input; no transposes between the stages.
    NDArray maps = x.add(pos).reshape(batch, grid.height(), grid.width(), grid.channels());
    for (BottleneckBlock block : stage1) {
      maps = block.applyChannelsLast(ps, maps, training);
    }
    // (T, N) @ (B, N, hidden) = (B, T, hidden)
    NDArray pooled = poolMatrix(pos).matMul(maps.reshape(batch, grid.patches(), hidden));
    maps = pooled.reshape(batch, side, side, hidden);
    for (BottleneckBlock block : stage2) {
      maps = block.applyChannelsLast(ps, maps, training);
    }
    NDArray tokens = maps.reshape(batch, tokens(), hidden);
    NDArray y = Blocks.apply(readout1, ps, tokens, training);
    return readout2.forward(ps, new NDList(Activations.silu(y)), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = checkInput(inputShapes);
    long batch = input.get(0);
    Shape shape = new Shape(batch, grid.channels(), grid.height(), grid.width());
    for (BottleneckBlock block : stage1) {
      block.initialize(manager, dataType, shape);
      shape = block.getOutputShapes(new Shape[] {shape})[0];
    }
    shape = new Shape(batch, hidden, side, side);
    for (BottleneckBlock block : stage2) {
      block.initialize(manager, dataType, shape);
    }
    readout1.initialize(manager, dataType, new Shape(batch, tokens(), hidden));
    readout2.initialize(manager, dataType, new Shape(batch, tokens(), outputWidth()));
  }
}
