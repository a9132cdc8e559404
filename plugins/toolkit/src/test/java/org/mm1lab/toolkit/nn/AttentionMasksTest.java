package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link AttentionMasks} against masks written out on the host, and the bias they give in {@link
 * ScaledDotProductAttention#attend}: masked keys take no part in the forward or the backward pass.
 */
class AttentionMasksTest {

  @Test
  void causalMasksAllowEarlierRealKeysOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      // row 0: all 4 keys real; row 1: key 0 is left padding, key 2 too
      NDArray keyMask = m.create(new float[] {1, 1, 1, 1, 0, 1, 0, 1}, new Shape(2, 4));
      NDArray allowed = AttentionMasks.causal(keyMask, 2); // the last 2 positions query
      assertEquals(DataType.BOOLEAN, allowed.getDataType());
      assertEquals(new Shape(2, 2, 4), allowed.getShape());
      boolean[] expected = new boolean[16];
      float[] real = keyMask.toFloatArray();
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 4; j++) {
            expected[(b * 2 + i) * 4 + j] = j <= 2 + i && real[b * 4 + j] != 0;
          }
        }
      }
      assertArrayEquals(expected, allowed.toBooleanArray());
      assertArrayEquals(
          allowed.toBooleanArray(),
          AttentionMasks.causal(keyMask.neq(0), 2).toBooleanArray(),
          "a boolean key mask means the same");
    }
  }

  @Test
  void aFullCausalPassIsTheLowerTriangle() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray allowed = AttentionMasks.causal(m.ones(new Shape(1, 5)), 5);
      assertArrayEquals(
          ScaledDotProductAttentionTest.lowerTriangle(m, 5, 5).toBooleanArray(),
          allowed.toBooleanArray());
    }
  }

  @Test
  void theBiasIsZeroWhereAllowedAndMaskedElsewhere() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray numeric = m.create(new float[] {1, 0, 2, 0, -1, 0}, new Shape(2, 3));
      NDArray bias = AttentionMasks.additiveBias(numeric);
      assertEquals(DataType.FLOAT32, bias.getDataType());
      assertEquals(new Shape(2, 3), bias.getShape());
      float masked = AttentionMasks.MASKED;
      assertArrayEquals(new float[] {0, masked, 0, masked, 0, masked}, bias.toFloatArray(), 0f);
      assertArrayEquals(
          bias.toFloatArray(),
          AttentionMasks.additiveBias(numeric.neq(0)).toFloatArray(),
          0f,
          "a boolean mask gives the same bias");
      // no -0.0 where allowed: the bias leaves the scores' bits alone
      assertEquals(0, Float.floatToRawIntBits(bias.getFloat(0, 0)));
    }
  }

  @Test
  void forHeadsInsertsTheHeadAxis() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(
          new Shape(1, 1, 3, 4), AttentionMasks.forHeads(m.zeros(new Shape(3, 4))).getShape());
      assertEquals(
          new Shape(2, 1, 3, 4), AttentionMasks.forHeads(m.zeros(new Shape(2, 3, 4))).getShape());
      assertThrows(
          IllegalArgumentException.class, () -> AttentionMasks.forHeads(m.zeros(new Shape(4))));
      assertThrows(
          IllegalArgumentException.class, () -> AttentionMasks.causal(m.ones(new Shape(1, 3)), 4));
    }
  }

  @Test
  void maskedKeysGetNoAttentionAndNoGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(9);
      // (B = 2, S = 4): the last key of row 0 and the first key of row 1 are padding
      NDArray keyMask = m.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1}, new Shape(2, 4));
      NDArray bias =
          AttentionMasks.forHeads(AttentionMasks.additiveBias(AttentionMasks.causal(keyMask, 4)));
      NDArray q = m.randomNormal(new Shape(2, 2, 4, 3));
      NDArray k = m.randomNormal(new Shape(2, 2, 4, 3));
      NDArray v = m.randomNormal(new Shape(2, 2, 4, 3));
      NDArray weights = m.randomNormal(new Shape(2, 2, 4, 3));
      NDList masked =
          Differentiation.valueAndGradients(
              in -> ScaledDotProductAttention.attend(in.get(0), in.get(1), in.get(2), bias),
              weights,
              q,
              k,
              v);
      // the reference attends over the allowed keys only, key by key: query i of row 0 sees keys
      // 0..min(i, 2); query i of row 1 sees keys 1..i (query 0 of row 1 sees none: uniform)
      NDArray expected = ScaledDotProductAttentionTest.reference(q, k, v, bias);
      assertArrayEquals(expected.toFloatArray(), masked.get(0).toFloatArray(), 2e-6f);
      NDArray keyGradient = masked.get(2);
      NDArray valueGradient = masked.get(3);
      for (NDArray gradient : new NDArray[] {keyGradient, valueGradient}) {
        // row 0's key 3 is never attended: no gradient at all
        assertEquals(0f, gradient.get(new NDIndex("0, :, 3")).abs().sum().getFloat());
        assertTrue(gradient.get(new NDIndex("0, :, 0:3")).abs().sum().getFloat() > 0);
      }
    }
  }
}
