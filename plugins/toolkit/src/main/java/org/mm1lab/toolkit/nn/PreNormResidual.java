package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * One residual step of a pre-norm transformer block, {@code x + sublayer(norm(x))}: attention and
 * then the feed-forward each run as one such step. Normalising before each branch rather than after
 * the residual sum keeps the residual stream an identity path, which is what lets deep ViTs and
 * Llama-style decoders train without warm-up tricks.
 */
public final class PreNormResidual {

  private PreNormResidual() {}

  /**
   * {@code x + sublayer(norm(x))}, the residual added in place into the sublayer's output.
   *
   * <p>In place, because the sublayer's output is a fresh array (its last projection's product)
   * that its backward pass does not read: the sum needs no {@code (B, N, D)} array of its own, one
   * fewer per step. So {@code sublayer} must return a new array, never {@code x} or a view of it,
   * and one that no backward pass reads (the output of a {@link ai.djl.nn.core.Linear} qualifies;
   * the output of an activation like {@code exp} would not, and autograd would refuse it at
   * backward time).
   *
   * @param x {@code (B, N, D)} the residual stream
   * @param norm the branch's normalisation, {@code (B, N, D)} to {@code (B, N, D)}
   * @param sublayer the branch (attention, feed-forward), {@code (B, N, D)} to a new {@code (B, N,
   *     D)}
   * @return {@code (B, N, D)}: the sublayer's output array, now holding the sum
   */
  public static NDArray apply(
      NDArray x, UnaryOperator<NDArray> norm, UnaryOperator<NDArray> sublayer) {
    return sublayer.apply(norm.apply(x)).addi(x);
  }
}
