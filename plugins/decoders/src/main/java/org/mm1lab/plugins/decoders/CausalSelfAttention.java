package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.AttentionHeads;
import org.mm1lab.toolkit.nn.Blocks;
import org.mm1lab.toolkit.nn.ProjectedSelfAttention;
import org.mm1lab.toolkit.nn.ScaledDotProductAttention;

/**
 * Multi-head causal self-attention with rotary positions and optional grouped-query attention (GQA:
 * {@code H} query heads share {@code H_kv} key/value heads, each serving {@code H / H_kv}
 * consecutive query heads). Projections are bias-free, as in Llama. DJL has no fused attention, so
 * it is written out: {@code softmax(q k^T / sqrt(hd) + bias) v}.
 *
 * <p>Shape contract of {@link #apply}: input {@code (B, L, D)}, output {@code (B, L, D)}; the
 * causal and padding mask comes in as the additive bias of the {@link AttentionContext}.
 */
final class CausalSelfAttention extends ProjectedSelfAttention {

  private final int layer;
  private final int heads;
  private final int kvHeads;
  private final RotaryEmbedding rotary;

  /**
   * @param layer this layer's index, to find its entries in a key/value cache
   * @param width the model width {@code D = H * hd}
   * @param heads query heads {@code H}
   * @param kvHeads key/value heads {@code H_kv}, dividing {@code H}
   * @param rotary the rotary embedding for head width {@code hd}
   * @param outputStd standard deviation of the output projection's initial weights
   */
  CausalSelfAttention(
      int layer, int width, int heads, int kvHeads, RotaryEmbedding rotary, float outputStd) {
    super(
        DenseDecoder.projection(width, DenseDecoder.INIT_STD),
        DenseDecoder.projection(kvHeads * (width / heads), DenseDecoder.INIT_STD),
        DenseDecoder.projection(kvHeads * (width / heads), DenseDecoder.INIT_STD),
        DenseDecoder.projection(width, outputStd));
    this.layer = layer;
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.rotary = rotary;
  }

  /**
   * Attends from the {@code L} new positions to every allowed cached or new position.
   *
   * @param x {@code (B, L, D)} normalised hidden states
   * @param context rotary angles, mask bias, and the cache to extend (or none)
   * @return {@code (B, L, D)}
   */
  NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
    NDArray q = AttentionHeads.separate(Blocks.apply(query(), ps, x, training), heads);
    NDArray k = AttentionHeads.separate(Blocks.apply(key(), ps, x, training), kvHeads);
    NDArray v = AttentionHeads.separate(Blocks.apply(value(), ps, x, training), kvHeads);
    // the query's rotation carries the 1/sqrt(hd) score scale (see DenseDecoder.context)
    RotaryEmbedding.Rotation rotation = context.rotation();
    q = rotary.apply(q, rotation.queryCos(), rotation.querySin());
    k = rotary.apply(k, rotation.cos(), rotation.sin());
    // (B, L, H, hd) -> (B, H, L, hd): heads first, as the products and the cache want them
    q = AttentionHeads.headsFirst(q);
    k = AttentionHeads.headsFirst(k);
    v = AttentionHeads.headsFirst(v);
    if (context.cache() != null) {
      NDList full = context.cache().extend(layer, k, v);
      k = full.get(0);
      v = full.get(1);
    }
    NDArray attended = ScaledDotProductAttention.attend(q, k, v, context.bias());
    return Blocks.apply(output(), ps, AttentionHeads.merge(attended), training);
  }

  /**
   * A full causal pass, for the plain {@link ai.djl.nn.Block} contract: inputs hidden states {@code
   * (B, L, D)} and attention mask {@code (B, L)}; output {@code (B, L, D)}.
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    AttentionContext context = DenseDecoder.context(rotary, inputs.get(1), null);
    return new NDList(apply(ps, inputs.get(0), context, training));
  }
}
