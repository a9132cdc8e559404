package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.Activations;
import org.mm1lab.toolkit.nn.Blocks;

/**
 * The SwiGLU feed-forward network (Shazeer, 2020) used by Llama-style decoders: {@code down(silu(
 * gate(x)) * up(x))}, three bias-free projections {@code D -> F}, {@code D -> F}, {@code F -> D}.
 *
 * <p>Shape contract: input {@code (B, L, D)}, output {@code (B, L, D)}.
 */
final class SwiGluFeedForward extends FeedForwardBlock {

  private final Linear gate;
  // package-private accessors below are for checkpoint layouts (Llama, Mixtral names)
  private final Linear up;
  private final Linear down;

  /**
   * @param width the model width {@code D}
   * @param hidden the hidden width {@code F}
   * @param outputStd standard deviation of the output projection's initial weights (scaled down
   *     with depth so that the residual stream does not grow with the number of layers)
   */
  SwiGluFeedForward(int width, int hidden, float outputStd) {
    gate = addChildBlock("gate", DenseDecoder.projection(hidden, DenseDecoder.INIT_STD));
    up = addChildBlock("up", DenseDecoder.projection(hidden, DenseDecoder.INIT_STD));
    down = addChildBlock("down", DenseDecoder.projection(width, outputStd));
  }

  @Override
  NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
    return apply(ps, x, training);
  }

  /** The feed-forward of {@code x (..., D)}: {@code (..., D)}; also used for single experts. */
  NDArray apply(ParameterStore ps, NDArray x, boolean training) {
    NDArray g = Blocks.apply(gate, ps, x, training);
    NDArray u = Blocks.apply(up, ps, x, training);
    return Blocks.apply(down, ps, Activations.silu(g).mul(u), training);
  }

  Linear gate() {
    return gate;
  }

  Linear up() {
    return up;
  }

  Linear down() {
    return down;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    gate.initialize(manager, dataType, in);
    up.initialize(manager, dataType, in);
    down.initialize(manager, dataType, gate.getOutputShapes(new Shape[] {in}));
  }
}
