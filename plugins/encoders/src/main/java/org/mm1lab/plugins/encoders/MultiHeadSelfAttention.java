package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.AttentionHeads;
import org.mm1lab.toolkit.nn.AttentionMasks;
import org.mm1lab.toolkit.nn.Blocks;
import org.mm1lab.toolkit.nn.ProjectedSelfAttention;
import org.mm1lab.toolkit.nn.ScaledDotProductAttention;

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
public final class MultiHeadSelfAttention extends ProjectedSelfAttention {

  private final int heads;

  /**
   * @param width the model width {@code D}
   * @param heads the number of heads; divides {@code width}
   */
  public MultiHeadSelfAttention(int width, int heads) {
    super(projection(width, heads), projection(width), projection(width), projection(width));
    this.heads = heads;
  }

  /** The query projection, after checking that the heads divide the width. */
  private static Linear projection(int width, int heads) {
    if (width % heads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide width " + width);
    }
    return projection(width);
  }

  private static Linear projection(int width) {
    return Linear.builder().setUnits(width).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(apply(parameterStore, inputs.get(0), mask, training));
  }

  /**
   * The attention of {@code x} over itself.
   *
   * @param x {@code (B, N, D)}
   * @param mask {@code null} for bidirectional attention, or {@code (N, N)} / {@code (B, N, N)}
   *     allowed pairs (see the class comment)
   * @return {@code (B, N, D)}
   */
  NDArray apply(ParameterStore parameterStore, NDArray x, NDArray mask, boolean training) {
    NDArray bias = mask == null ? null : additiveMask(mask, x.getShape().get(1));
    NDArray q = AttentionHeads.split(Blocks.apply(query(), parameterStore, x, training), heads);
    NDArray k = AttentionHeads.split(Blocks.apply(key(), parameterStore, x, training), heads);
    NDArray v = AttentionHeads.split(Blocks.apply(value(), parameterStore, x, training), heads);
    NDArray attended =
        ScaledDotProductAttention.attend(ScaledDotProductAttention.scaleQueries(q), k, v, bias);
    return Blocks.apply(output(), parameterStore, AttentionHeads.merge(attended), training);
  }

  /** A mask of allowed pairs to the additive bias, broadcastable to the scores. */
  private static NDArray additiveMask(NDArray mask, long n) {
    Shape shape = mask.getShape();
    if (shape.dimension() < 2
        || shape.dimension() > 3
        || shape.get(shape.dimension() - 1) != n
        || shape.get(shape.dimension() - 2) != n) {
      throw new IllegalArgumentException(
          "attention mask must be (N, N) or (B, N, N) with N = " + n + ", got " + shape);
    }
    return AttentionMasks.forHeads(AttentionMasks.additiveBias(mask));
  }
}
