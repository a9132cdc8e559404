package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.mm1lab.toolkit.arrays.Precision;

/** Running a child block on one array, the way the transformer blocks call their projections. */
public final class Blocks {

  private Blocks() {}

  /**
   * {@code block}'s forward pass on {@code x} alone, unwrapped from DJL's {@link NDList}s.
   *
   * @param block a block with one input and one output (a {@link ai.djl.nn.core.Linear}, a norm, a
   *     convolution, a feed-forward)
   * @param parameterStore where the block's parameters live
   * @param x the input, of whatever shape {@code block} takes ({@code (..., D_in)} for a linear)
   * @param training whether train-time behaviour applies
   * @return the block's only output ({@code (..., D_out)} for a linear)
   * @throws IllegalArgumentException when the block returns more or fewer than one array
   */
  public static NDArray apply(
      Block block, ParameterStore parameterStore, NDArray x, boolean training) {
    return block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
  }

  /**
   * {@code block}'s forward pass on {@code x} computed in float32, its output returned in {@code
   * x}'s type: how a normalisation layer (DJL's {@code LayerNorm}, a hand-written RMSNorm) runs
   * among float16 activations in mixed-precision training, its statistics in float32's range. The
   * block's parameters must be float32 then, as a {@link MixedPrecisionStore} keeps those of norms
   * ({@code GAMMA} and {@code BETA}). On float32 input this is exactly {@link #apply}.
   *
   * @param block a block with one input and one output that computes in its input's type
   * @param parameterStore where the block's parameters live
   * @param x the input, of the working type
   * @param training whether train-time behaviour applies
   * @return the block's only output, in {@code x}'s type
   * @see Precision#inFloat32
   */
  public static NDArray applyInFloat32(
      Block block, ParameterStore parameterStore, NDArray x, boolean training) {
    return Precision.inFloat32(x, x32 -> apply(block, parameterStore, x32, training));
  }
}
