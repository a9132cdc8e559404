package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.Blocks;
import org.mm1lab.toolkit.nn.PreNormResidual;

/**
 * A pre-norm transformer block: {@code x + Attention(LayerNorm(x))}, then {@code x +
 * MLP(LayerNorm(x))}, each a {@link PreNormResidual} step. The norms compute in float32 whatever
 * the activations' type ({@link Blocks#applyInFloat32}).
 *
 * <p>Forward: input {@code (B, N, D)} and an optional attention mask (see {@link
 * MultiHeadSelfAttention}); output {@code (B, N, D)}.
 */
public final class TransformerBlock extends AbstractBlock {

  private final LayerNorm attentionNorm;
  private final MultiHeadSelfAttention attention;
  private final LayerNorm mlpNorm;
  private final FeedForward mlp;

  /**
   * @param width the model width {@code D}
   * @param heads attention heads; divides {@code width}
   * @param hidden the MLP's hidden width
   */
  public TransformerBlock(int width, int heads, int hidden) {
    attentionNorm = addChildBlock("attentionNorm", lastAxisNorm());
    attention = addChildBlock("attention", new MultiHeadSelfAttention(width, heads));
    mlpNorm = addChildBlock("mlpNorm", lastAxisNorm());
    mlp = addChildBlock("mlp", new FeedForward(width, hidden));
  }

  /**
   * A LayerNorm over the feature axis of {@code (B, N, D)} with learnable scale and shift. DJL's
   * default normalises over every axis but the first, which would mix patches.
   */
  static LayerNorm lastAxisNorm() {
    return LayerNorm.builder().axis(2).build();
  }

  /** The norm before attention, for weight loading. */
  LayerNorm attentionNorm() {
    return attentionNorm;
  }

  /** The attention, for weight loading. */
  MultiHeadSelfAttention attention() {
    return attention;
  }

  /** The norm before the MLP, for weight loading. */
  LayerNorm mlpNorm() {
    return mlpNorm;
  }

  /** The MLP, for weight loading. */
  FeedForward mlp() {
    return mlp;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    NDArray x =
        PreNormResidual.apply(
            inputs.get(0),
            h -> Blocks.applyInFloat32(attentionNorm, parameterStore, h, training),
            h -> attention.apply(parameterStore, h, mask, training));
    x =
        PreNormResidual.apply(
            x,
            h -> Blocks.applyInFloat32(mlpNorm, parameterStore, h, training),
            h -> Blocks.apply(mlp, parameterStore, h, training));
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    attentionNorm.initialize(manager, dataType, tokens);
    attention.initialize(manager, dataType, tokens);
    mlpNorm.initialize(manager, dataType, tokens);
    mlp.initialize(manager, dataType, tokens);
  }
}
