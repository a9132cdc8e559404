package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.mm1lab.api.KeyValueCache;

/**
 * The key/value history of a {@link DenseDecoder}: per layer, the rotated keys and the values of
 * every position decoded so far, plus the attention mask of those positions (so that later tokens
 * keep ignoring earlier padding) and each row's count of real tokens (so that rotary positions
 * continue where the row left off).
 *
 * <p>Shapes, with {@code S = }{@link #length()}: keys and values {@code (B, H_kv, S, hd)} per layer
 * (heads first, the layout attention multiplies in), mask {@code (B, S)}, real-token counts {@code
 * (B)}. All arrays belong to a sub-manager of the manager given to {@link DenseDecoder#newCache},
 * and {@link #close()} frees them.
 *
 * <p>Keys and values live in buffers with room to spare along {@code S}: a decode call writes its
 * new positions into the buffer in place and attends over a view of the filled part, so a new token
 * costs a copy of its own keys and values, not of the whole history (the buffer doubles when full,
 * so growth is amortised). Only when the new keys are part of an autograd graph (a cached call
 * under a gradient collector) is the history joined into a new array instead, so that the returned
 * keys stay connected to the new positions' history.
 *
 * <p>Unpadded calls. While no call has had padding, the cache knows on the host that every row's
 * positions are simply {@code 0 .. S-1}: it keeps no mask or real-token counts then (they are built
 * from {@link #length()} if a padded call comes later), and it hands out each call's rotary
 * rotation as a slice of a table of every position up to its capacity, computed once by the same
 * operations a call would run ({@link RotaryEmbedding#angles}), rather than some twenty operations
 * per call. A decode step at batch 1 moves one position through every operation, so it is bound by
 * the number of operations, not by their arithmetic.
 *
 * <p>Not thread-safe. The stored arrays are detached from autograd: a cache is for inference, and
 * nothing backpropagates from one decode call into an earlier one through it.
 */
final class DenseKeyValueCache implements KeyValueCache {

  /** Positions a key/value buffer has room for at first. */
  private static final long MIN_CAPACITY = 64;

  private final DenseDecoder owner;
  private final NDManager manager;
  private final int batchSize;
  private final NDArray[] keys;
  private final NDArray[] values;
  private NDArray mask;
  private NDArray realCounts;
  private int length;
  private boolean closed;
  // true until a call with padding: then the mask and counts are the arrays above
  private boolean unpadded = true;
  // the rotation of positions 0 .. capacity-1 (each array (1, capacity, 1, hd)), while unpadded
  private RotaryEmbedding.Rotation rotations;
  private long rotationCapacity;

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
    materializeUnpadded();
    return mask;
  }

  /** Each row's number of real (unmasked) cached tokens {@code (B)}, or {@code null} when empty. */
  NDArray realCounts() {
    materializeUnpadded();
    return realCounts;
  }

  /**
   * Whether every cached position and every position of {@code attentionMask} is a real token, so
   * that a call may take the unpadded path ({@link #rotation}, {@link #commitUnpadded}). Reads the
   * new mask to the host only while the cache itself is unpadded (one small read per call; a padded
   * batch's later calls read nothing).
   *
   * @param attentionMask {@code (B, L)} of the call, any numeric type, positive at real tokens
   */
  boolean unpaddedWith(NDArray attentionMask) {
    if (!unpadded) {
      return false;
    }
    // int64 as read: a fraction such as 0.5 truncates to 0 and counts as padding, which only
    // sends the call down the general path, which decides for itself
    NDArray values =
        attentionMask.getDataType() == DataType.INT64
            ? attentionMask
            : attentionMask.toType(DataType.INT64, false);
    for (long value : values.toLongArray()) {
      if (value <= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rotation of positions {@code [length(), length() + count)}, the same in every row of an
   * unpadded batch: slices of the cache's table, each {@code (1, count, 1, hd)}, owned by {@code
   * target}'s manager (views; the table stays the cache's).
   *
   * @param rotary the decoder's rotary embedding
   * @param queryScale as for {@link RotaryEmbedding#angles}
   * @param count the call's new positions {@code L}
   * @param target an array of the call, whose manager and device the slices take
   */
  RotaryEmbedding.Rotation rotation(
      RotaryEmbedding rotary, double queryScale, long count, NDArray target) {
    long end = length + count;
    if (rotations == null || rotationCapacity < end) {
      growRotations(
          rotary, queryScale, Math.max(end, Math.max(MIN_CAPACITY, 2 * rotationCapacity)), target);
    }
    NDIndex range = new NDIndex().addAllDim().addSliceDim(length, end);
    return new RotaryEmbedding.Rotation(
        slice(rotations.cos(), range, target),
        slice(rotations.sin(), range, target),
        slice(rotations.queryCos(), range, target),
        slice(rotations.querySin(), range, target));
  }

  private static NDArray slice(NDArray table, NDIndex range, NDArray target) {
    NDArray view = table.get(range);
    view.attach(target.getManager());
    return view;
  }

  /**
   * (Re)computes the table for positions {@code 0 .. capacity-1} with {@link
   * RotaryEmbedding#angles} itself, so that a position's rotation is the one a full pass computes
   * for it.
   */
  private void growRotations(
      RotaryEmbedding rotary, double queryScale, long capacity, NDArray target) {
    try (NDManager work = manager.newSubManager()) {
      NDArray positions =
          work.arange(0f, (float) capacity, 1f, DataType.FLOAT32, target.getDevice())
              .reshape(1, capacity);
      RotaryEmbedding.Rotation table = rotary.angles(positions, queryScale);
      NDArray[] kept = {table.cos(), table.sin(), table.queryCos(), table.querySin()};
      for (NDArray array : kept) {
        array.attach(manager);
      }
      // the cache's own arrays, not temporaries of whatever scope the caller has open
      NDScope.unregister(kept);
      if (rotations != null) {
        rotations.cos().close();
        rotations.sin().close();
        rotations.queryCos().close();
        rotations.querySin().close();
      }
      rotations = table;
      rotationCapacity = capacity;
    }
  }

  /**
   * Appends one layer's new keys and values and returns the full history including them.
   *
   * @param layer the layer index
   * @param newKeys {@code (B, H_kv, L, hd)}, already rotated
   * @param newValues {@code (B, H_kv, L, hd)}
   * @return keys and values {@code (B, H_kv, S + L, hd)}, owned by the inputs' manager (views of
   *     the cache's buffers, or, under autograd, joined arrays connected to the new positions'
   *     history)
   */
  NDList extend(int layer, NDArray newKeys, NDArray newValues) {
    if (newKeys.hasGradient() || newValues.hasGradient()) {
      NDArray k = joined(layer, keys, newKeys);
      NDArray v = joined(layer, values, newValues);
      return new NDList(k, v);
    }
    return new NDList(write(layer, keys, newKeys), write(layer, values, newValues));
  }

  /** Writes {@code added} after the {@link #length()} cached positions; returns the filled view. */
  private NDArray write(int layer, NDArray[] buffers, NDArray added) {
    Shape shape = added.getShape();
    long total = length + shape.get(2);
    NDArray buffer = buffers[layer];
    if (buffer == null || buffer.getShape().get(2) < total) {
      // double, so that a long generation copies its history O(log n) times, not once per token
      long doubled = buffer == null ? 0 : 2 * buffer.getShape().get(2);
      long capacity = Math.max(total, Math.max(MIN_CAPACITY, doubled));
      NDArray grown =
          manager.zeros(
              new Shape(shape.get(0), shape.get(1), capacity, shape.get(3)),
              added.getDataType(),
              added.getDevice());
      // the cache's own array, not a temporary of whatever scope the caller has open
      NDScope.unregister(grown);
      if (buffer != null && length > 0) {
        NDArray prefix = buffer.get(positions(0, length));
        grown.set(positions(0, length), prefix);
        prefix.close();
      }
      if (buffer != null) {
        buffer.close();
      }
      buffer = grown;
      buffers[layer] = buffer;
    }
    buffer.set(positions(length, total), added);
    NDArray filled = buffer.get(positions(0, total));
    // the view is the caller's temporary; the buffer's storage stays the cache's
    filled.attach(added.getManager());
    return filled;
  }

  /** The autograd-preserving path: the history joined with {@code added} along the positions. */
  private NDArray joined(int layer, NDArray[] buffers, NDArray added) {
    NDArray buffer = buffers[layer];
    NDArray past = null;
    if (buffer != null && length > 0) {
      past = buffer.get(positions(0, length));
      past.attach(added.getManager());
    }
    NDArray full = past == null ? added : past.concat(added, 2);
    full.attach(added.getManager());
    // store a detached copy with room for the next call's positions
    NDArray kept = full.stopGradient();
    kept.attach(added.getManager());
    if (buffer != null) {
      buffer.close();
    }
    buffers[layer] = null;
    long saved = length;
    length = 0;
    write(layer, buffers, kept);
    length = (int) saved;
    return full;
  }

  /**
   * Records the positions of a finished decode call; called once after every layer has been
   * extended.
   *
   * @param fullMask the mask over all {@code S + L} positions {@code (B, S + L)}
   * @param counts the real-token counts including the new positions {@code (B)}
   */
  /**
   * Cache positions {@code [from, to)} of a {@code (B, H, S, hd)} buffer, built directly: a string
   * index would be parsed with regular expressions on every token.
   */
  private static NDIndex positions(long from, long to) {
    return new NDIndex().addAllDim(2).addSliceDim(from, to);
  }

  void commit(NDArray fullMask, NDArray counts) {
    mask = keep(mask, fullMask);
    realCounts = keep(realCounts, counts);
    length = (int) fullMask.getShape().get(1);
    // the general path runs with a cache only for a call with padding, or after one
    unpadded = false;
  }

  /** Records {@code count} new real positions of an unpadded call (see {@link #unpaddedWith}). */
  void commitUnpadded(long count) {
    length = Math.toIntExact(length + count);
  }

  /**
   * While unpadded, the mask and counts exist only as {@link #length()}: built here for a call that
   * needs them as arrays (a padded call after unpadded ones).
   */
  private void materializeUnpadded() {
    if (!unpadded || length == 0 || (mask != null && mask.getShape().get(1) == length)) {
      return;
    }
    try (NDArray ones = manager.ones(new Shape(batchSize, length));
        NDArray counts = manager.full(new Shape(batchSize), (float) length)) {
      mask = keep(mask, ones);
      realCounts = keep(realCounts, counts);
    }
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
    // the cache's own array, not a temporary of whatever scope the caller has open
    NDScope.unregister(kept);
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
