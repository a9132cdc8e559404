package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention with rotary positions and optional grouped-query attention (GQA:
 * {@code H} query heads share {@code H_kv} key/value heads, each serving {@code H / H_kv}
 * consecutive query heads). Projections are bias-free, as in Llama. DJL has no fused attention, so
 * it is written out: {@code softmax(q k^T / sqrt(hd) + bias) v}.
 *
 * <p>Shape contract of {@link #apply}: input {@code (B, L, D)}, output {@code (B, L, D)}; the
 * causal and padding mask comes in as the additive bias of the {@link AttentionContext}.
 */
final class CausalSelfAttention extends AbstractBlock {

  private final int layer;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final RotaryEmbedding rotary;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;

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
    this.layer = layer;
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = width / heads;
    this.rotary = rotary;
    query = addChildBlock("query", DenseDecoder.projection(width, DenseDecoder.INIT_STD));
    key = addChildBlock("key", DenseDecoder.projection(kvHeads * headDim, DenseDecoder.INIT_STD));
    value =
        addChildBlock("value", DenseDecoder.projection(kvHeads * headDim, DenseDecoder.INIT_STD));
    output = addChildBlock("output", DenseDecoder.projection(width, outputStd));
  }

  /**
   * Attends from the {@code L} new positions to every allowed cached or new position.
   *
   * @param x {@code (B, L, D)} normalised hidden states
   * @param context rotary angles, mask bias, and the cache to extend (or none)
   * @return {@code (B, L, D)}
   */
  NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long l = shape.get(1);
    NDArray q = project(ps, query, x, heads, training);
    NDArray k = project(ps, key, x, kvHeads, training);
    NDArray v = project(ps, value, x, kvHeads, training);
    // the query's rotation carries the 1/sqrt(hd) score scale (see DenseDecoder.context)
    RotaryEmbedding.Rotation rotation = context.rotation();
    q = rotary.apply(q, rotation.queryCos(), rotation.querySin());
    k = rotary.apply(k, rotation.cos(), rotation.sin());
    // (B, L, H, hd) -> (B, H, L, hd): heads first, as the products and the cache want them
    q = q.transpose(0, 2, 1, 3);
    k = k.transpose(0, 2, 1, 3);
    v = v.transpose(0, 2, 1, 3);
    if (context.cache() != null) {
      NDList full = context.cache().extend(layer, k, v);
      k = full.get(0);
      v = full.get(1);
    }
    k = shareHeads(k);
    v = shareHeads(v);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    DataType type = scores.getDataType();
    // softmax in float32: the -1e9 bias and the exponentials need its range. The bias is added in
    // place when the scores already are float32: the product's backward reads q and k, never its
    // output, so no (B, H, L, S) array is allocated and written for the sum (autograd would refuse
    // the in-place add at backward time if it were not so).
    NDArray scores32 = scores.toType(DataType.FLOAT32, false);
    NDArray biased =
        scores32 == scores ? scores.addi(context.bias()) : scores32.add(context.bias());
    NDArray probabilities = biased.softmax(-1).toType(type, false);
    NDArray attended =
        probabilities.matMul(v).transpose(0, 2, 1, 3).reshape(b, l, (long) heads * headDim);
    return output.forward(ps, new NDList(attended), training).singletonOrThrow();
  }

  Linear query() {
    return query;
  }

  Linear key() {
    return key;
  }

  Linear value() {
    return value;
  }

  Linear output() {
    return output;
  }

  private NDArray project(ParameterStore ps, Linear linear, NDArray x, int n, boolean training) {
    Shape shape = x.getShape();
    return linear
        .forward(ps, new NDList(x), training)
        .singletonOrThrow()
        .reshape(shape.get(0), shape.get(1), n, headDim);
  }

  /**
   * Repeats each of the {@code H_kv} heads {@code H / H_kv} times: {@code (B, H_kv, S, hd)} to
   * {@code (B, H, S, hd)}, query head {@code h} seeing key/value head {@code h / (H / H_kv)}.
   */
  private NDArray shareHeads(NDArray kv) {
    if (kvHeads == heads) {
      return kv;
    }
    Shape s = kv.getShape();
    int group = heads / kvHeads;
    return kv.expandDims(2)
        .broadcast(new Shape(s.get(0), kvHeads, group, s.get(2), headDim))
        .reshape(s.get(0), heads, s.get(2), headDim);
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

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    query.initialize(manager, dataType, in);
    key.initialize(manager, dataType, in);
    value.initialize(manager, dataType, in);
    output.initialize(manager, dataType, in);
  }
}
