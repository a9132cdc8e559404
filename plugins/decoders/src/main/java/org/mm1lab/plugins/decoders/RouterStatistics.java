package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;

/**
 * What one {@link MixtureOfExperts} layer measured in one decode call, before coefficients.
 *
 * @param loadBalance scalar Switch-Transformer load-balance loss {@code E * sum_i f_i P_i}
 * @param routerZ scalar router z-loss {@code mean_t logsumexp(router logits_t)^2}
 * @param load {@code (E)} fraction of the call's token-to-expert assignments per expert
 */
record RouterStatistics(NDArray loadBalance, NDArray routerZ, NDArray load) {}
