package org.mm1lab.plugins.encoders;

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

/**
 * The transformer MLP: {@code Linear(D -> H)}, GELU, {@code Linear(H -> D)}, both with bias.
 *
 * <p>Forward: {@code (B, N, D)} to {@code (B, N, D)}.
 */
public final class FeedForward extends AbstractBlock {

  private final int hidden;
  private final Linear expand;
  private final Linear contract;

  /**
   * @param width the model width {@code D}
   * @param hidden the hidden width {@code H}
   */
  public FeedForward(int width, int hidden) {
    this.hidden = hidden;
    expand = addChildBlock("expand", Linear.builder().setUnits(hidden).build());
    contract = addChildBlock("contract", Linear.builder().setUnits(width).build());
  }

  /** The first linear layer ({@code D -> H}), for weight loading. */
  Linear expand() {
    return expand;
  }

  /** The second linear layer ({@code H -> D}), for weight loading. */
  Linear contract() {
    return contract;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray h = expand.forward(parameterStore, inputs, training).singletonOrThrow();
    return contract.forward(parameterStore, new NDList(Activation.gelu(h)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    expand.initialize(manager, dataType, tokens);
    contract.initialize(manager, dataType, tokens.slice(0, tokens.dimension() - 1).add(hidden));
  }
}
