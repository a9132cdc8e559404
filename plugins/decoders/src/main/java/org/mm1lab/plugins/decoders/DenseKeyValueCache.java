package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.mm1lab.api.KeyValueCache;

/**
 * The key/value history of a {@link DenseDecoder}: per layer, the rotated keys and the values of
 * every position decoded so far, plus the attention mask of those positions (so that later tokens
 * keep ignoring earlier padding) and each row's count of real tokens (so that rotary positions
 * continue where the row left off).
 *
 * <p>Shapes, with {@code S = }{@link #length()}: keys and values {@code (B, S, H_kv, hd)} per
 * layer, mask {@code (B, S)}, real-token counts {@code (B)}. All arrays belong to a sub-manager of
 * the manager given to {@link DenseDecoder#newCache}; each decode call replaces them with the
 * extended ones and frees the old ones, and {@link #close()} frees the rest.
 *
 * <p>Not thread-safe. The stored arrays are detached from autograd: a cache is for inference, and
 * nothing backpropagates from one decode call into an earlier one through it.
 */
final class DenseKeyValueCache implements KeyValueCache {

  private final DenseDecoder owner;
  private final NDManager manager;
  private final int batchSize;
  private final NDArray[] keys;
  private final NDArray[] values;
  private NDArray mask;
  private NDArray realCounts;
  private int length;
  private boolean closed;

  DenseKeyValueCache(DenseDecoder owner, NDManager parent, int batchSize, int layers) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    this.owner = owner;
    this.manager = parent.newSubManager();
    this.batchSize = batchSize;
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  @Override
  public int length() {
    return length;
  }

  /** The rows this cache was created for. */
  int batchSize() {
    return batchSize;
  }

  /** Checks that a decode call of {@code decoder} over {@code rows} rows may use this cache. */
  void checkUsableBy(DenseDecoder decoder, long rows) {
    if (closed) {
      throw new IllegalStateException("this key/value cache has been closed");
    }
    if (decoder != owner) {
      throw new IllegalArgumentException(
          "this key/value cache was created by another decoder; use the decoder's own newCache");
    }
    if (rows != batchSize) {
      throw new IllegalArgumentException(
          "the cache holds " + batchSize + " rows but the input has " + rows);
    }
  }

  /** The cached mask {@code (B, S)} (float 1/0), or {@code null} when nothing is cached yet. */
  NDArray mask() {
    return mask;
  }

  /** Each row's number of real (unmasked) cached tokens {@code (B)}, or {@code null} when empty. */
  NDArray realCounts() {
    return realCounts;
  }

  /**
   * Appends one layer's new keys and values and returns the full history including them.
   *
   * @param layer the layer index
   * @param newKeys {@code (B, L, H_kv, hd)}, already rotated
   * @param newValues {@code (B, L, H_kv, hd)}
   * @return keys and values {@code (B, S + L, H_kv, hd)}, owned by the inputs' manager and still
   *     connected to the autograd history of the new positions
   */
  NDList extend(int layer, NDArray newKeys, NDArray newValues) {
    NDArray k = join(keys[layer], newKeys);
    NDArray v = join(values[layer], newValues);
    keys[layer] = keep(keys[layer], k);
    values[layer] = keep(values[layer], v);
    return new NDList(k, v);
  }

  /**
   * Records the positions of a finished decode call; called once after every layer has been
   * extended.
   *
   * @param fullMask the mask over all {@code S + L} positions {@code (B, S + L)}
   * @param counts the real-token counts including the new positions {@code (B)}
   */
  void commit(NDArray fullMask, NDArray counts) {
    mask = keep(mask, fullMask);
    realCounts = keep(realCounts, counts);
    length = (int) fullMask.getShape().get(1);
  }

  /**
   * {@code old} followed by {@code added} along axis 1, owned by {@code added}'s manager (the
   * caller's), so that temporaries of a decode call never accumulate in the cache's manager.
   */
  static NDArray join(NDArray old, NDArray added) {
    if (old == null) {
      return added;
    }
    NDArray full = old.concat(added, 1);
    full.attach(added.getManager());
    return full;
  }

  /**
   * Stores a detached handle of {@code fresh} in the cache's manager and frees {@code old}. The new
   * handle shares storage with {@code fresh}, which stays the caller's, so closing either manager
   * never frees the other's array; detaching keeps the cache out of any autograd graph.
   */
  private NDArray keep(NDArray old, NDArray fresh) {
    NDArray kept = fresh.stopGradient();
    kept.attach(manager);
    if (old != null) {
      old.close();
    }
    return kept;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
