package org.mm1lab.core.world;

import java.util.SplittableRandom;

/**
 * Counter-based randomness: the generator of item {@code i} of stream {@code k} is seeded by a hash
 * of {@code (seed, k, i)}, so any item is made in O(1) without generating the ones before it, and
 * streams never share items.
 */
final class Streams {

  // Training sources.
  static final int CAPTIONED = 1;
  static final int VECAP = 2;
  static final int INTERLEAVED = 3;
  static final int TEXT = 4;
  // Held-out evaluation sets.
  static final int EVAL_CAPTION = 101;
  static final int EVAL_VQA = 102;
  static final int EVAL_TEXT = 103;
  // In-context shots, disjoint from both.
  static final int SHOTS_CAPTION = 201;
  static final int SHOTS_VQA = 202;
  static final int SHOTS_TEXT = 203;

  private Streams() {}

  /** The SplitMix64 finaliser: a bijection on longs that scatters nearby inputs. */
  static long scramble(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed for item {@code index} of {@code stream}. */
  static long mix(long seed, int stream, long index) {
    long h = scramble(seed + 0x9E3779B97F4A7C15L);
    h = scramble(h ^ (stream * 0xD1B54A32D192ED03L));
    return scramble(h + index * 0x9E3779B97F4A7C15L);
  }

  /** The generator for item {@code index} of {@code stream}. */
  static SplittableRandom random(long seed, int stream, long index) {
    return new SplittableRandom(mix(seed, stream, index));
  }

  /** A generator for part {@code part} of an item (an image of a document). */
  static SplittableRandom part(long itemSeed, int part) {
    return new SplittableRandom(scramble(itemSeed ^ scramble(part + 0x632BE59BD9B4E019L)));
  }
}
