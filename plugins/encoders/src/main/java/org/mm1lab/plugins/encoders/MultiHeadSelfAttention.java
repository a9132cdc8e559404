package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * Multi-head self-attention with separate query, key, value and output projections (each a {@link
 * Linear} with bias, {@code D x D}), since DJL has no fused attention.
 *
 * <p>Forward: input {@code (B, N, D)} and optionally an attention mask; output {@code (B, N, D)}.
 * The mask, when present, is the second array of the input list: {@code (N, N)} or {@code (B, N,
 * N)}, boolean or numeric, where a true/non-zero entry {@code [i, j]} lets query {@code i} attend
 * to key {@code j}. Without it attention is bidirectional over all patches. This is how AIM's
 * causal and prefix masks enter; a row must allow at least one key.
 */
public final class MultiHeadSelfAttention extends AbstractBlock {

  /**
   * Added to the scores of masked pairs. Finite rather than -inf so that a fully masked row yields
   * a uniform distribution instead of NaNs that would poison the whole batch's gradients.
   */
  private static final float MASKED = -1e9f;

  private final int width;
  private final int heads;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;

  /**
   * @param width the model width {@code D}
   * @param heads the number of heads; divides {@code width}
   */
  public MultiHeadSelfAttention(int width, int heads) {
    if (width % heads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide width " + width);
    }
    this.width = width;
    this.heads = heads;
    query = addChildBlock("query", Linear.builder().setUnits(width).build());
    key = addChildBlock("key", Linear.builder().setUnits(width).build());
    value = addChildBlock("value", Linear.builder().setUnits(width).build());
    output = addChildBlock("output", Linear.builder().setUnits(width).build());
  }

  /** The query projection, for weight loading. */
  Linear query() {
    return query;
  }

  /** The key projection, for weight loading. */
  Linear key() {
    return key;
  }

  /** The value projection, for weight loading. */
  Linear value() {
    return value;
  }

  /** The output projection, for weight loading. */
  Linear output() {
    return output;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    long batch = x.getShape().get(0);
    long n = x.getShape().get(1);
    int headWidth = width / heads;

    NDArray q = splitHeads(project(query, parameterStore, x, training), batch, n, headWidth);
    NDArray k = splitHeads(project(key, parameterStore, x, training), batch, n, headWidth);
    NDArray v = splitHeads(project(value, parameterStore, x, training), batch, n, headWidth);

    // (B, H, N, hd) x (B, H, hd, N) -> (B, H, N, N), scaled so that logits stay O(1) at any width;
    // scaling the queries rather than the scores is the same product with N / hd times fewer
    // multiplications, forward and backward.
    NDArray scores =
        Scalars.multiply(q, 1.0 / Math.sqrt(headWidth)).matMul(k.transpose(0, 1, 3, 2));
    if (mask != null) {
      scores = scores.add(additiveMask(mask, n));
    }
    NDArray attended = scores.softmax(-1).matMul(v); // (B, H, N, hd)
    NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, n, width);
    return output.forward(parameterStore, new NDList(merged), training);
  }

  private static NDArray project(
      Linear linear, ParameterStore parameterStore, NDArray x, boolean training) {
    return linear.forward(parameterStore, new NDList(x), training).singletonOrThrow();
  }

  /** {@code (B, N, D)} to {@code (B, H, N, D / H)}. */
  private NDArray splitHeads(NDArray x, long batch, long n, int headWidth) {
    return x.reshape(batch, n, heads, headWidth).transpose(0, 2, 1, 3);
  }

  /** A mask of allowed pairs to {@code 0} / {@link #MASKED}, broadcastable to the scores. */
  private static NDArray additiveMask(NDArray mask, long n) {
    Shape shape = mask.getShape();
    if (shape.dimension() < 2
        || shape.dimension() > 3
        || shape.get(shape.dimension() - 1) != n
        || shape.get(shape.dimension() - 2) != n) {
      throw new IllegalArgumentException(
          "attention mask must be (N, N) or (B, N, N) with N = " + n + ", got " + shape);
    }
    NDArray allowed = mask.getDataType() == DataType.BOOLEAN ? mask : mask.neq(0);
    NDArray additive = allowed.logicalNot().toType(DataType.FLOAT32, false).mul(MASKED);
    // Insert the head axis: (N, N) -> (1, 1, N, N); (B, N, N) -> (B, 1, N, N).
    return shape.dimension() == 2 ? additive.reshape(1, 1, n, n) : additive.expandDims(1);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    for (Linear linear : new Linear[] {query, key, value, output}) {
      linear.initialize(manager, dataType, tokens);
    }
  }
}
