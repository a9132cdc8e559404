package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

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
}
