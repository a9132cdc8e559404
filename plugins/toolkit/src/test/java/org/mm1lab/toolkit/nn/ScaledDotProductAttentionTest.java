package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ScaledDotProductAttention} against a reference that attends one batch row and one head at
 * a time, with the softmax written out as {@code exp(s - max) / sum}.
 */
class ScaledDotProductAttentionTest {

  private static final float TOLERANCE = 2e-6f;

  @Test
  void scaleIsOneOverTheSquareRootOfTheHeadWidth() {
    assertEquals(0.125, ScaledDotProductAttention.scale(64));
    assertEquals(1 / Math.sqrt(3), ScaledDotProductAttention.scale(3));
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(4);
      NDArray q = m.randomNormal(new Shape(2, 3, 4, 16));
      Differentiation.assertSameValuesAndGradients(
          in -> ScaledDotProductAttention.scaleQueries(in.get(0)),
          in -> in.get(0).div(in.get(0).getManager().full(new Shape(), 4f)), // sqrt(16)
          m.randomNormal(new Shape(2, 3, 4, 16)),
          0f,
          q);
    }
  }

  @Test
  void attendsLikeOneHeadAtATimeWithAnAdditiveBias() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      NDArray q = m.randomNormal(new Shape(2, 3, 4, 8)); // (B, H, L, hd)
      NDArray k = m.randomNormal(new Shape(2, 3, 6, 8)); // (B, H, S, hd)
      NDArray v = m.randomNormal(new Shape(2, 3, 6, 8));
      NDArray bias = m.randomNormal(new Shape(2, 1, 4, 6)); // one bias for every head
      Differentiation.assertSameValuesAndGradients(
          in -> ScaledDotProductAttention.attend(in.get(0), in.get(1), in.get(2), bias),
          in -> reference(in.get(0), in.get(1), in.get(2), bias),
          m.randomNormal(new Shape(2, 3, 4, 8)),
          TOLERANCE,
          q,
          k,
          v);
    }
  }

  @Test
  void attendsEverywhereWithoutABias() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(6);
      NDArray q = m.randomNormal(new Shape(1, 2, 5, 4));
      NDArray k = m.randomNormal(new Shape(1, 2, 3, 4));
      NDArray v = m.randomNormal(new Shape(1, 2, 3, 4));
      Differentiation.assertSameValuesAndGradients(
          in -> ScaledDotProductAttention.attend(in.get(0), in.get(1), in.get(2), null),
          in -> reference(in.get(0), in.get(1), in.get(2), null),
          m.randomNormal(new Shape(1, 2, 5, 4)),
          TOLERANCE,
          q,
          k,
          v);
    }
  }

  @Test
  void groupedKeyValueHeadsServeConsecutiveQueryHeads() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      NDArray q = m.randomNormal(new Shape(2, 4, 3, 8)); // H = 4
      NDArray k = m.randomNormal(new Shape(2, 2, 5, 8)); // H_kv = 2
      NDArray v = m.randomNormal(new Shape(2, 2, 5, 8));
      NDArray bias = AttentionMasks.forHeads(AttentionMasks.additiveBias(lowerTriangle(m, 3, 5)));
      Differentiation.assertSameValuesAndGradients(
          in -> ScaledDotProductAttention.attend(in.get(0), in.get(1), in.get(2), bias),
          in -> reference(in.get(0), in.get(1), in.get(2), bias),
          m.randomNormal(new Shape(2, 4, 3, 8)),
          TOLERANCE,
          q,
          k,
          v);
    }
  }

  @Test
  void queriesSharedByTheBatchBroadcastOverItsKeys() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(8);
      NDArray q = m.randomNormal(new Shape(1, 2, 3, 4)); // learned queries
      NDArray k = m.randomNormal(new Shape(3, 2, 6, 4));
      NDArray v = m.randomNormal(new Shape(3, 2, 6, 4));
      NDArray weights = m.randomNormal(new Shape(3, 2, 3, 4));
      Differentiation.assertSameValuesAndGradients(
          in -> ScaledDotProductAttention.attend(in.get(0), in.get(1), in.get(2), null),
          in -> reference(in.get(0).broadcast(new Shape(3, 2, 3, 4)), in.get(1), in.get(2), null),
          weights,
          TOLERANCE,
          q,
          k,
          v);
    }
  }

  @Test
  void aFullyMaskedRowAveragesTheValuesInsteadOfTurningNaN() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray q = m.ones(new Shape(1, 1, 2, 2));
      NDArray k = m.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 1, 3, 2));
      NDArray v = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 3, 2));
      NDArray allowed = m.create(new boolean[] {true, false, true, false, false, false});
      NDArray bias = AttentionMasks.forHeads(AttentionMasks.additiveBias(allowed.reshape(2, 3)));
      float[] out = ScaledDotProductAttention.attend(q, k, v, bias).toFloatArray();
      // row 0 sees keys 0 and 2 (scores 1 and 2); row 1 sees none: the plain mean of the values
      double p0 = Math.exp(1) / (Math.exp(1) + Math.exp(2));
      double p2 = 1 - p0;
      float[] expected = {(float) (p0 + 5 * p2), (float) (2 * p0 + 6 * p2), 3, 4};
      assertArrayEquals(expected, out, 1e-6f, Arrays.toString(out));
    }
  }

  /**
   * Attention one batch row and one head at a time, key/value head {@code h / (H / H_kv)} for query
   * head {@code h}, softmax written out.
   */
  static NDArray reference(NDArray q, NDArray k, NDArray v, NDArray bias) {
    long batch = q.getShape().get(0);
    long heads = q.getShape().get(1);
    long group = heads / k.getShape().get(1);
    NDList rows = new NDList();
    for (long b = 0; b < batch; b++) {
      NDList perHead = new NDList();
      for (long h = 0; h < heads; h++) {
        NDArray qh = q.get(new NDIndex("{}, {}", b, h)); // (L, hd)
        NDArray kh = k.get(new NDIndex("{}, {}", b, h / group)); // (S, hd)
        NDArray vh = v.get(new NDIndex("{}, {}", b, h / group));
        NDArray scores = qh.matMul(kh.transpose());
        if (bias != null) {
          long biasRow = bias.getShape().get(0) == 1 ? 0 : b;
          long biasHead = bias.getShape().get(1) == 1 ? 0 : h;
          scores = scores.add(bias.get(new NDIndex("{}, {}", biasRow, biasHead)));
        }
        NDArray shifted = scores.sub(scores.max(new int[] {1}, true).stopGradient());
        NDArray e = shifted.exp();
        NDArray probabilities = e.div(e.sum(new int[] {1}, true));
        perHead.add(probabilities.matMul(vh));
      }
      rows.add(NDArrays.stack(perHead, 0));
    }
    return NDArrays.stack(rows, 0);
  }

  /**
   * The causal pattern of {@code queries} last positions of {@code keys}, boolean {@code (L, S)}.
   */
  static NDArray lowerTriangle(NDManager m, int queries, int keys) {
    boolean[] allowed = new boolean[queries * keys];
    for (int i = 0; i < queries; i++) {
      for (int j = 0; j < keys; j++) {
        allowed[i * keys + j] = j <= keys - queries + i;
      }
    }
    return m.create(allowed, new Shape(queries, keys));
  }
}
