package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What every layer of one decode call shares, computed once per call by {@link
 * DenseDecoder#context}. {@code L} counts the new positions, {@code S} the cached plus new ones.
 *
 * @param cos {@code (B, L, 1, hd/2)} rotary cosines of the new positions
 * @param sin {@code (B, L, 1, hd/2)} rotary sines
 * @param bias {@code (B, 1, L, S)} float32, 0 where query {@code i} may attend key {@code j}
 *     (causal and not padding), a large negative number elsewhere
 * @param mask {@code (B, S)} float32 attention mask over cached and new positions
 * @param realCounts {@code (B)} float32 number of real tokens per row, cached and new
 * @param cache the cache to extend, or {@code null} for a full pass
 * @param newMask {@code (B, L)} float32 1/0 mask of the new positions (which tokens are real)
 * @param routing where mixture-of-experts layers record their router statistics during the call,
 *     in layer order; empty for a dense model
 */
record AttentionContext(
    NDArray cos,
    NDArray sin,
    NDArray bias,
    NDArray mask,
    NDArray realCounts,
    DenseKeyValueCache cache,
    NDArray newMask,
    List<RouterStatistics> routing) {}
