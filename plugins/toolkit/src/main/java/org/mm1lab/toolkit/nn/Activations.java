package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activation functions that DJL lacks, or has only in a form unsafe to differentiate through. */
public final class Activations {

  private Activations() {}

  /**
   * SiLU (swish with {@code beta = 1}), {@code x * sigmoid(x)}, as SwiGLU and the C-Abstractor's
   * RegNet blocks use it. Not DJL's {@code Activation.swish(x, 1f)}: that multiplies by the {@code
   * Number} 1, whose scalar the backward pass may find freed (see {@link
   * org.mm1lab.toolkit.arrays.Scalars}).
   *
   * @param x any shape
   * @return the same shape and type
   */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }
}
