package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.PreNormResidual;

/**
 * One pre-norm decoder layer: {@code x + attention(norm(x))}, then {@code x + ffn(norm(x))}, each a
 * {@link PreNormResidual} step, where the feed-forward is a SwiGLU or, in a mixture-of-experts
 * layer, E routed SwiGLU experts.
 *
 * <p>Shape contract: hidden states {@code (B, L, D)} in and out. As a plain {@link ai.djl.nn.Block}
 * its inputs are hidden states and the attention mask {@code (B, L)}.
 */
final class TransformerLayer extends AbstractBlock {

  private final RotaryEmbedding rotary;
  private final RmsNorm attentionNorm;
  private final CausalSelfAttention attention;
  private final RmsNorm feedForwardNorm;
  private final FeedForwardBlock feedForward;

  /** A dense layer, with a SwiGLU feed-forward. */
  TransformerLayer(int index, DenseDecoderSpec spec, RotaryEmbedding rotary) {
    this(
        index,
        spec,
        rotary,
        "ffn",
        new SwiGluFeedForward(spec.width(), spec.ffn(), outputStd(spec)));
  }

  /**
   * A layer with the given feed-forward block.
   *
   * @param feedForwardName the child block's name ({@code ffn} for SwiGLU, {@code moe} for experts)
   */
  TransformerLayer(
      int index,
      DenseDecoderSpec spec,
      RotaryEmbedding rotary,
      String feedForwardName,
      FeedForwardBlock feedForward) {
    this.rotary = rotary;
    float outputStd = outputStd(spec);
    attentionNorm = addChildBlock("attention-norm", new RmsNorm(spec.width(), spec.normEps()));
    attention =
        addChildBlock(
            "attention",
            new CausalSelfAttention(
                index, spec.width(), spec.heads(), spec.kvHeads(), rotary, outputStd));
    feedForwardNorm = addChildBlock("ffn-norm", new RmsNorm(spec.width(), spec.normEps()));
    this.feedForward = addChildBlock(feedForwardName, feedForward);
  }

  /** GPT-2's depth scaling of the projections that write into the residual stream. */
  static float outputStd(DenseDecoderSpec spec) {
    return (float) (DenseDecoder.INIT_STD / Math.sqrt(2.0 * spec.layers()));
  }

  RmsNorm attentionNorm() {
    return attentionNorm;
  }

  CausalSelfAttention attention() {
    return attention;
  }

  RmsNorm feedForwardNorm() {
    return feedForwardNorm;
  }

  FeedForwardBlock feedForward() {
    return feedForward;
  }

  NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
    NDArray h =
        PreNormResidual.apply(
            x,
            y -> attentionNorm.normalize(ps, y, training),
            y -> attention.apply(ps, y, context, training));
    return PreNormResidual.apply(
        h,
        y -> feedForwardNorm.normalize(ps, y, training),
        y -> feedForward.apply(ps, y, context, training));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    AttentionContext context = DenseDecoder.context(rotary, inputs.get(1), null);
    return new NDList(apply(ps, inputs.get(0), context, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = inputShapes[0];
    attentionNorm.initialize(manager, dataType, hidden);
    attention.initialize(manager, dataType, hidden);
    feedForwardNorm.initialize(manager, dataType, hidden);
    feedForward.initialize(manager, dataType, hidden);
  }
}
