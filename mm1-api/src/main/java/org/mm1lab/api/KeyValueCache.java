package org.mm1lab.api;

/**
 * A decoder's per-layer key/value history during incremental decoding. Opaque to the host: it
 * only asks how long it is and closes it. A decoder creates one with {@link
 * Decoder#newCache(ai.djl.ndarray.NDManager, int)} and extends it on every {@link Decoder#decode}
 * call that passes it.
 */
public interface KeyValueCache extends AutoCloseable {

  /** The number of positions already cached (the same for every row; padding included). */
  int length();

  /** Releases the cached arrays. */
  @Override
  void close();
}
