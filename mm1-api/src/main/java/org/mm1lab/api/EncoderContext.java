package org.mm1lab.api;

/**
 * What an {@link ImageEncoderFactory} may know about the run: encoders come first in the chain, so
 * only the seed.
 *
 * @param seed the run's seed, for any randomness in construction
 */
public record EncoderContext(long seed) {}
