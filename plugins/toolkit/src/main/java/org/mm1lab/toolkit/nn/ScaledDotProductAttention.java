package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.mm1lab.toolkit.arrays.Precision;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * The attention product {@code softmax(q k^T / sqrt(hd) + bias) v}, written out since DJL has no
 * fused attention, for queries, keys and values whose heads are already on an axis of their own
 * (see {@link AttentionHeads}).
 *
 * <p>The {@code 1 / sqrt(hd)} scale is the caller's to apply, to the queries: {@link #scaleQueries}
 * multiplies them ({@code N / hd} times fewer multiplications than scaling the {@code (L, S)}
 * scores, forward and backward, for the same product), and a caller that transforms the queries
 * anyway can fold {@link #scale} into that transform instead (the decoders' rotary embedding does).
 */
public final class ScaledDotProductAttention {

  private ScaledDotProductAttention() {}

  /**
   * The factor {@code 1 / sqrt(hd)} that keeps the logits {@code q . k} of order one at any head
   * width.
   *
   * @param headWidth {@code hd}, positive
   * @return {@code 1 / sqrt(hd)}
   */
  public static double scale(long headWidth) {
    return 1.0 / Math.sqrt((double) headWidth);
  }

  /**
   * The queries times {@link #scale}{@code (hd)}, {@code hd} being their last axis; differentiable
   * (the constant comes from {@link Scalars}).
   *
   * @param queries {@code (..., hd)}
   * @return {@code (..., hd)}, a new array of the queries' type
   */
  public static NDArray scaleQueries(NDArray queries) {
    return Scalars.multiply(queries, scale(queries.getShape().tail()));
  }

  /**
   * Attends from every query to every key: {@code softmax(q k^T + bias) v} per head, with grouped
   * key/value heads shared by their query heads ({@link AttentionHeads#share}).
   *
   * <p>The softmax runs in float32 whatever the queries' type, since the large negative entries of
   * an attention bias ({@link AttentionMasks#MASKED}) and the exponentials need its range; the
   * probabilities are cast back to the values' type for the last product (both casts
   * differentiable, see {@link Precision}). The bias is added in place into the scores when they
   * already are float32: the product's backward reads {@code q} and {@code k}, never its output, so
   * no second {@code (B, H, L, S)} array is allocated and written for the sum (autograd would
   * refuse the in-place add at backward time if it were not so).
   *
   * @param queries {@code (B, H, L, hd)}, already scaled (see the class comment); {@code B} may be
   *     1 for queries shared by a batch of keys (learned queries)
   * @param keys {@code (B, H_kv, S, hd)}, {@code H_kv} dividing {@code H}
   * @param values {@code (B, H_kv, S, hd)}
   * @param bias {@code null} to attend everywhere, or float32 broadcastable to {@code (B, H, L,
   *     S)}: added to the scores, {@code 0} where query {@code i} may attend key {@code j} and
   *     {@link AttentionMasks#MASKED} elsewhere (see {@link AttentionMasks#additiveBias}); every
   *     row should allow at least one key
   * @return {@code (B, H, L, hd)} of the queries' type, each row a convex combination of value rows
   */
  public static NDArray attend(NDArray queries, NDArray keys, NDArray values, NDArray bias) {
    int heads = Math.toIntExact(queries.getShape().get(1));
    NDArray k = AttentionHeads.share(keys, heads);
    NDArray v = AttentionHeads.share(values, heads);
    NDArray scores = queries.matMul(k.transpose(0, 1, 3, 2)); // (B, H, L, S)
    DataType type = scores.getDataType();
    NDArray scores32 = Precision.toFloat32(scores);
    NDArray biased;
    if (bias == null) {
      biased = scores32;
    } else {
      biased = scores32 == scores ? scores.addi(bias) : scores32.add(bias);
    }
    NDArray probabilities = Precision.cast(biased.softmax(-1), type);
    return probabilities.matMul(v);
  }
}
