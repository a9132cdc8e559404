package org.mm1lab.plugins.data;

/**
 * Counter-based random numbers: the {@code n}-th uniform draw of a stream is a pure hash of the
 * stream's key and {@code n}, so a mixer's whole state is the counter and restoring a position is
 * O(1) (no replay of earlier draws, unlike a sequential generator such as {@link
 * java.util.Random}).
 *
 * <p>The hash is the one behind {@link java.util.SplittableRandom}: Stafford's "mix13" finaliser
 * applied to {@code key + (n + 1) * GOLDEN_GAMMA}. For a fixed key this is exactly the output
 * sequence of {@code new SplittableRandom(key)}, which passes BigCrush; the key itself is a mixed
 * version of the seed, so neighbouring seeds (7 and 8) give unrelated streams rather than shifted
 * copies of one another.
 */
final class CounterRandom {

  /** The odd constant SplittableRandom steps by: 2^64 divided by the golden ratio. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final long key;

  /**
   * @param seed the run's seed
   * @param salt distinguishes streams drawn from the same seed (one per mixer kind), so that two
   *     mixers never make correlated decisions by accident
   */
  CounterRandom(long seed, long salt) {
    this.key = mix64(mix64(seed) ^ salt);
  }

  /** The {@code counter}-th draw, uniform in {@code [0, 1)} with 53 random bits. */
  double uniform(long counter) {
    long bits = mix64(key + (counter + 1) * GOLDEN_GAMMA);
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** Stafford's mix13, the 64-bit finaliser of SplittableRandom. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
