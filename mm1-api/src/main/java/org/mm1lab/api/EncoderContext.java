package org.mm1lab.api;

/**
 * What an {@link ImageEncoderFactory} may know about the run: encoders come first in the chain, so
 * only the seed.
 *
 * @param seed the run's seed, for randomness in construction itself (parameter initialisation is
 *     seeded by the host)
 * @since 1.0
 */
public record EncoderContext(long seed) {}
