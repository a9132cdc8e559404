package org.mm1lab.plugins.connectors;

import org.mm1lab.api.Options;
import org.mm1lab.api.PatchGrid;

/**
 * Validation of token counts for connectors that pool the patch grid to a {@code sqrt(T) x sqrt(T)}
 * grid. The paper used {@code T = 64} and {@code T = 144}; any square works as long as the pooled
 * side does not exceed the encoder grid's shorter side (pooling never upsamples).
 */
final class TokenGrids {

  private TokenGrids() {}

  /**
   * Reads {@code key} as a token count {@code T} and returns the pooled side {@code sqrt(T)}.
   *
   * @throws org.mm1lab.api.InvalidOptionException when {@code T} is not a square or its side
   *     exceeds {@code min(h, w)}; the message names the nearest valid squares
   */
  static int pooledSide(Options options, String key, PatchGrid grid) {
    int tokens = options.getInt(key);
    int maxSide = Math.min(grid.height(), grid.width());
    int side = (int) Math.round(Math.sqrt(Math.max(tokens, 0)));
    if (tokens < 1 || side * side != tokens) {
      throw options.invalid(
          key,
          tokens
              + " is not a positive perfect square (the tokens form a sqrt(T) x sqrt(T) grid); use "
              + nearestSquares(tokens, maxSide));
    }
    if (side > maxSide) {
      throw options.invalid(
          key,
          tokens
              + " tokens need a "
              + side
              + "x"
              + side
              + " pooled grid, larger than the encoder's "
              + grid.height()
              + "x"
              + grid.width()
              + " patch grid; use "
              + nearestSquares(tokens, maxSide)
              + ", or an encoder with more patches");
    }
    return side;
  }

  /**
   * The valid squares ({@code s^2} with {@code 1 <= s <= maxSide}) nearest below and above {@code
   * tokens}; at either end of the range, the two closest to it, so there is always a choice.
   */
  static String nearestSquares(int tokens, int maxSide) {
    int below = 0;
    while (below < maxSide && (long) (below + 1) * (below + 1) <= tokens) {
      below++;
    }
    int lo;
    int hi;
    if (below == 0) {
      lo = 1; // tokens < 1: the smallest squares
      hi = 2;
    } else if (below == maxSide) {
      lo = maxSide - 1; // the largest squares
      hi = maxSide;
    } else {
      lo = below;
      hi = below + 1;
    }
    lo = Math.max(lo, 1);
    hi = Math.min(hi, maxSide);
    return lo == hi ? String.valueOf(lo * lo) : lo * lo + " or " + hi * hi;
  }
}
