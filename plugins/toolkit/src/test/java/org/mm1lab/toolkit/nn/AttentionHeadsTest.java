package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link AttentionHeads} against references that slice the heads out one at a time: feature block
 * {@code [h * hd, (h + 1) * hd)} of every position is head {@code h}.
 */
class AttentionHeadsTest {

  private static final float EXACT = 0f;

  @Test
  void splitPutsEachHeadsFeatureBlockOnItsOwnAxis() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      NDArray x = m.randomNormal(new Shape(2, 5, 6)); // B = 2, N = 5, H = 3, hd = 2
      Differentiation.assertSameValuesAndGradients(
          in -> AttentionHeads.split(in.get(0), 3),
          in -> stackHeads(in.get(0), 3),
          m.randomNormal(new Shape(2, 3, 5, 2)),
          EXACT,
          x);
      assertEquals(new Shape(2, 5, 3, 2), AttentionHeads.separate(x, 3).getShape());
    }
  }

  @Test
  void sharedQueriesWithoutABatchAxisGetABatchOfOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray queries = m.arange(24f).reshape(4, 6); // (T, H * hd), T = 4, H = 2, hd = 3
      NDArray split = AttentionHeads.split(queries, 2);
      assertEquals(new Shape(1, 2, 4, 3), split.getShape());
      assertArrayEquals(
          stackHeads(queries.expandDims(0), 2).toFloatArray(), split.toFloatArray(), EXACT);
    }
  }

  @Test
  void mergeLaysTheHeadsSideBySideAgain() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(2);
      NDArray heads = m.randomNormal(new Shape(2, 3, 4, 5)); // (B, H, N, hd)
      Differentiation.assertSameValuesAndGradients(
          in -> AttentionHeads.merge(in.get(0)),
          in -> concatHeads(in.get(0)),
          m.randomNormal(new Shape(2, 4, 15)),
          EXACT,
          heads);
      NDArray x = m.randomNormal(new Shape(2, 4, 15));
      assertArrayEquals(
          x.toFloatArray(),
          AttentionHeads.merge(AttentionHeads.split(x, 3)).toFloatArray(),
          EXACT,
          "merge inverts split");
    }
  }

  @Test
  void shareRepeatsEachKeyValueHeadForItsGroupOfQueryHeads() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      NDArray kv = m.randomNormal(new Shape(2, 2, 3, 4)); // (B, H_kv = 2, S, hd)
      NDArray weights = m.randomNormal(new Shape(2, 6, 3, 4));
      Differentiation.assertSameValuesAndGradients(
          in -> AttentionHeads.share(in.get(0), 6),
          in -> repeatHeads(in.get(0), 6),
          weights,
          1e-6f,
          kv);
      // query heads 0-2 see key/value head 0, heads 3-5 head 1
      NDArray shared = AttentionHeads.share(kv, 6);
      for (int h = 0; h < 6; h++) {
        assertArrayEquals(
            kv.get(new NDIndex(":, {}", h / 3)).toFloatArray(),
            shared.get(new NDIndex(":, {}", h)).toFloatArray(),
            EXACT,
            "query head " + h);
      }
      assertSame(kv, AttentionHeads.share(kv, 2), "as many key/value heads as query heads");
    }
  }

  @Test
  void headCountsThatDoNotFitAreRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class,
          () -> AttentionHeads.split(m.zeros(new Shape(1, 2, 6)), 4));
      assertThrows(
          IllegalArgumentException.class, () -> AttentionHeads.split(m.zeros(new Shape(6)), 2));
      assertThrows(
          IllegalArgumentException.class, () -> AttentionHeads.merge(m.zeros(new Shape(2, 6))));
      assertThrows(
          IllegalArgumentException.class,
          () -> AttentionHeads.share(m.zeros(new Shape(1, 2, 3, 4)), 3));
    }
  }

  /** {@code (B, N, H * hd)} to {@code (B, H, N, hd)} by slicing out one head at a time. */
  static NDArray stackHeads(NDArray x, int heads) {
    long width = x.getShape().get(2) / heads;
    NDList slices = new NDList();
    for (int h = 0; h < heads; h++) {
      slices.add(x.get(new NDIndex(":, :, {}:{}", h * width, (h + 1) * width)));
    }
    return NDArrays.stack(slices, 1);
  }

  /** {@code (B, H, N, hd)} to {@code (B, N, H * hd)} by concatenating the heads' features. */
  static NDArray concatHeads(NDArray x) {
    NDList heads = new NDList();
    for (int h = 0; h < x.getShape().get(1); h++) {
      heads.add(x.get(new NDIndex(":, {}", h)));
    }
    return NDArrays.concat(heads, 2);
  }

  /**
   * {@code (B, H_kv, S, hd)} to {@code (B, H, S, hd)}, query head {@code h} taking {@code h / g}.
   */
  static NDArray repeatHeads(NDArray kv, int heads) {
    long group = heads / kv.getShape().get(1);
    NDList repeated = new NDList();
    for (int h = 0; h < heads; h++) {
      repeated.add(kv.get(new NDIndex(":, {}", h / group)));
    }
    return NDArrays.stack(repeated, 1);
  }
}
