package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * What every layer of one decode call shares, computed once per call by {@link
 * DenseDecoder#context}. {@code L} counts the new positions, {@code S} the cached plus new ones.
 *
 * @param rotation the rotary rotation of the new positions, for queries and for keys
 * @param bias {@code (B, 1, L, S)} float32 (or {@code (1, 1, L, S)}, the same for every row), 0
 *     where query {@code i} may attend key {@code j} (causal and not padding), a large negative
 *     number elsewhere; {@code null} where every query may attend every key
 * @param mask {@code (B, S)} float32 attention mask over cached and new positions; {@code null} for
 *     a call that extends an unpadded cache ({@link DenseDecoder#unpaddedContext})
 * @param realCounts {@code (B)} float32 number of real tokens per row, cached and new; {@code null}
 *     where {@code mask} is
 * @param cache the cache to extend, or {@code null} for a full pass
 * @param newMask {@code (B, L)} float32 1/0 mask of the new positions (which tokens are real)
 * @param routing where mixture-of-experts layers record their router statistics during the call, in
 *     layer order; empty for a dense model
 */
record AttentionContext(
    RotaryEmbedding.Rotation rotation,
    NDArray bias,
    NDArray mask,
    NDArray realCounts,
    DenseKeyValueCache cache,
    NDArray newMask,
    List<RouterStatistics> routing) {

  /**
   * A context for a feed-forward block run on its own (a mixture of experts outside a decoder):
   * only the mask of real tokens and an empty routing record, no attention.
   *
   * @param newMask {@code (B, L)} float32 1/0 mask of the positions
   */
  static AttentionContext feedForwardOnly(NDArray newMask) {
    return new AttentionContext(null, null, null, null, null, newMask, new ArrayList<>());
  }
}
