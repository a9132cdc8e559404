package org.mm1lab.api;

/**
 * A decoder's per-layer key/value history during incremental decoding. Opaque to the host: it only
 * asks how long it is and closes it. A decoder creates one with {@link
 * Decoder#newCache(ai.djl.ndarray.NDManager, int)} and extends it on every {@link Decoder#decode}
 * call that passes it.
 *
 * <p>Hosts free each decode call's temporaries when the call returns, with an {@link
 * ai.djl.ndarray.NDScope} around it (one token's arrays at a time, rather than a whole
 * generation's). An array the cache keeps from one call to the next must therefore belong to the
 * cache's own manager ({@code attach}) and be taken out of any open scope ({@link
 * ai.djl.ndarray.NDScope#unregister}); otherwise the next call finds it freed. The test kit's
 * {@code DecoderContract} decodes that way.
 *
 * <p>Experimental: incremental decoding serves greedy generation alone so far, and the cache is
 * likely to need more than its length (reordering rows for beam search, rewinding, a size bound
 * fixed at creation) once other decoding strategies use it.
 *
 * @since 1.0
 */
@Experimental
public interface KeyValueCache extends AutoCloseable {

  /** The number of positions already cached (the same for every row; padding included). */
  int length();

  /** Releases the cached arrays. */
  @Override
  void close();
}
