package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Masks of allowed query-key pairs, and the additive bias that {@link
 * ScaledDotProductAttention#attend} takes in their place. A mask is {@code true} (or non-zero)
 * where query {@code i} may attend key {@code j}; masks carry no gradient, so the constants here
 * need no {@link org.mm1lab.toolkit.arrays.Scalars}.
 */
public final class AttentionMasks {

  /**
   * Added to the scores of masked pairs. Finite rather than {@code -inf} so that a fully masked row
   * (a padding query that sees no real key) yields a uniform distribution instead of NaNs that
   * would poison the whole batch's gradients; large enough that {@code exp} of it is exactly zero
   * in float32 beside any real score.
   */
  public static final float MASKED = -1e9f;

  private AttentionMasks() {}

  /**
   * Causal attention over the real keys: query {@code i} may attend key {@code j} when {@code j} is
   * not after it and is a real token. The {@code L} queries are the last {@code L} of the {@code S}
   * key positions (earlier keys come from a cache), so query {@code i} stands at position {@code S
   * - L + i}.
   *
   * @param keyMask {@code (B, S)}, boolean or numeric, true / non-zero at real (not padding) keys
   * @param queries {@code L}, at most {@code S}
   * @return boolean {@code (B, L, S)}, in the manager of {@code keyMask}
   * @throws IllegalArgumentException when {@code keyMask} is not 2-dimensional or {@code queries}
   *     is not in {@code [0, S]}
   */
  public static NDArray causal(NDArray keyMask, long queries) {
    Shape shape = keyMask.getShape();
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException("the key mask must be (B, S), got " + shape);
    }
    long keys = shape.get(1);
    if (queries < 0 || queries > keys) {
      throw new IllegalArgumentException(
          queries + " queries cannot be the last positions of " + keys + " keys");
    }
    NDManager manager = keyMask.getManager();
    NDArray real = keyMask.getDataType() == DataType.BOOLEAN ? keyMask : keyMask.neq(0);
    NDArray queryIndex =
        manager
            .arange(
                (float) (keys - queries), (float) keys, 1f, DataType.FLOAT32, keyMask.getDevice())
            .expandDims(1); // (L, 1)
    NDArray keyIndex =
        manager.arange(0f, (float) keys, 1f, DataType.FLOAT32, keyMask.getDevice()).expandDims(0);
    NDArray notAfter = keyIndex.lte(queryIndex); // (L, S)
    return notAfter.expandDims(0).logicalAnd(real.expandDims(1));
  }

  /**
   * A mask of allowed pairs as the additive bias of {@link ScaledDotProductAttention#attend}:
   * {@code 0} where allowed, {@link #MASKED} elsewhere.
   *
   * @param allowed any shape, boolean or numeric, true / non-zero where the pair is allowed
   * @return float32 of the same shape, in the manager of {@code allowed}
   */
  public static NDArray additiveBias(NDArray allowed) {
    NDArray mask = allowed.getDataType() == DataType.BOOLEAN ? allowed : allowed.neq(0);
    // (allowed - 1) * -MASKED: exactly 0 where allowed and MASKED elsewhere
    return mask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
  }

  /**
   * Inserts the head axis into a bias (or mask), so that one bias serves every head: {@code (L, S)}
   * becomes {@code (1, 1, L, S)} and {@code (B, L, S)} becomes {@code (B, 1, L, S)}.
   *
   * @param bias {@code (L, S)} or {@code (B, L, S)}
   * @return {@code (1, 1, L, S)} or {@code (B, 1, L, S)}, a view of {@code bias}
   * @throws IllegalArgumentException for any other number of dimensions
   */
  public static NDArray forHeads(NDArray bias) {
    Shape shape = bias.getShape();
    return switch (shape.dimension()) {
      case 2 -> bias.reshape(1, 1, shape.get(0), shape.get(1));
      case 3 -> bias.expandDims(1);
      default ->
          throw new IllegalArgumentException(
              "an attention bias must be (L, S) or (B, L, S), got " + shape);
    };
  }
}
