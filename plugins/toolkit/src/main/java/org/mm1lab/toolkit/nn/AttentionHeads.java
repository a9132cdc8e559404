package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Moves attention heads between the feature axis, where projections write them side by side ({@code
 * H * hd} features, head {@code h} at features {@code [h * hd, (h + 1) * hd)}, the layout of
 * PyTorch's {@code MultiheadAttention}, timm and Hugging Face's Llama), and an axis of their own
 * ahead of the positions, the layout the attention products multiply in. Every function here is a
 * view (a reshape or a transpose) except {@link #merge}, whose reshape copies the transposed heads
 * back into one row per position, and {@link #share}, which broadcasts.
 */
public final class AttentionHeads {

  private AttentionHeads() {}

  /**
   * Cuts the features of every position into {@code heads} heads: {@code (B, N, H * hd)} to {@code
   * (B, N, H, hd)}. A {@code (N, H * hd)} array (learned queries shared by the whole batch) becomes
   * {@code (1, N, H, hd)}, which broadcasts over any batch in the products.
   *
   * <p>Use it rather than {@link #split} when something must happen per head before the heads move
   * ahead of the positions (rotary embeddings broadcast a {@code (B, N, 1, hd)} rotation over the
   * heads here).
   *
   * @param x {@code (B, N, H * hd)} or {@code (N, H * hd)}
   * @param heads {@code H}; divides the last axis
   * @return {@code (B, N, H, hd)} or {@code (1, N, H, hd)}, a view of {@code x}
   * @throws IllegalArgumentException when {@code x} is not 2- or 3-dimensional or {@code heads}
   *     does not divide its last axis
   */
  public static NDArray separate(NDArray x, int heads) {
    Shape shape = x.getShape();
    int dimensions = shape.dimension();
    if (dimensions < 2 || dimensions > 3) {
      throw new IllegalArgumentException(
          "heads are separated from (B, N, H * hd) or (N, H * hd) features, got " + shape);
    }
    long features = shape.tail();
    if (heads < 1 || features % heads != 0) {
      throw new IllegalArgumentException(
          heads + " heads do not divide the " + features + " features of " + shape);
    }
    long batch = dimensions == 3 ? shape.get(0) : 1;
    long positions = shape.get(dimensions - 2);
    return x.reshape(batch, positions, heads, features / heads);
  }

  /**
   * Moves the heads ahead of the positions: {@code (B, N, H, hd)} to {@code (B, H, N, hd)}.
   *
   * @param x {@code (B, N, H, hd)}
   * @return {@code (B, H, N, hd)}, a transposed view of {@code x}
   */
  public static NDArray headsFirst(NDArray x) {
    return x.transpose(0, 2, 1, 3);
  }

  /**
   * {@link #separate} then {@link #headsFirst}: {@code (B, N, H * hd)} to {@code (B, H, N, hd)},
   * and {@code (N, H * hd)} to {@code (1, H, N, hd)}.
   *
   * @param x {@code (B, N, H * hd)} or {@code (N, H * hd)}
   * @param heads {@code H}; divides the last axis
   * @return {@code (B, H, N, hd)} or {@code (1, H, N, hd)}, a view of {@code x}
   */
  public static NDArray split(NDArray x, int heads) {
    return headsFirst(separate(x, heads));
  }

  /**
   * The inverse of {@link #split}: the heads side by side again along the features, {@code (B, H,
   * N, hd)} to {@code (B, N, H * hd)}, ready for an output projection.
   *
   * @param x {@code (B, H, N, hd)}
   * @return {@code (B, N, H * hd)}
   * @throws IllegalArgumentException when {@code x} is not 4-dimensional
   */
  public static NDArray merge(NDArray x) {
    Shape shape = x.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("heads are merged from (B, H, N, hd), got " + shape);
    }
    return x.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(2), shape.get(1) * shape.get(3));
  }

  /**
   * Grouped-query attention's head sharing: repeats each of the {@code H_kv} key or value heads
   * {@code H / H_kv} times, so that query head {@code h} meets key/value head {@code h / (H /
   * H_kv)} (consecutive query heads share one, as in Hugging Face's Llama). Returns {@code kv}
   * itself when {@code H_kv = H}.
   *
   * @param kv {@code (B, H_kv, S, hd)} keys or values
   * @param heads the query heads {@code H}, a multiple of {@code H_kv}
   * @return {@code (B, H, S, hd)}
   * @throws IllegalArgumentException when {@code H_kv} does not divide {@code heads}
   */
  public static NDArray share(NDArray kv, int heads) {
    Shape s = kv.getShape();
    long kvHeads = s.get(1);
    if (kvHeads == heads) {
      return kv;
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          kvHeads + " key/value heads cannot be shared by " + heads + " query heads");
    }
    long group = heads / kvHeads;
    // a broadcast view along a new group axis, then one copy into the query heads' layout
    return kv.expandDims(2)
        .broadcast(new Shape(s.get(0), kvHeads, group, s.get(2), s.get(3)))
        .reshape(s.get(0), heads, s.get(2), s.get(3));
  }
}
