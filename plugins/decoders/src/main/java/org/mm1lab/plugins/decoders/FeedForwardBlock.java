package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;

/**
 * The position-wise half of a {@link TransformerLayer}: a dense {@link SwiGluFeedForward} or a
 * {@link MixtureOfExperts}. Shape contract: {@code (B, L, D)} in and out.
 */
abstract class FeedForwardBlock extends AbstractBlock {

  /**
   * Applies the block to every position.
   *
   * @param x {@code (B, L, D)} normalised hidden states
   * @param context the decode call's shared state: which new positions are real, and where a
   *     mixture of experts records its router statistics
   * @return {@code (B, L, D)}
   */
  abstract NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training);
}
