package org.mm1lab.toolkit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@link Activations#silu} against {@code x / (1 + exp(-x))} written out. */
class ActivationsTest {

  @Test
  void siluIsXOverOnePlusExpMinusX() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      NDArray x = m.randomNormal(new Shape(3, 5)).mul(3);
      Differentiation.assertSameValuesAndGradients(
          in -> Activations.silu(in.get(0)),
          in -> in.get(0).div(in.get(0).neg().exp().add(1f)),
          m.randomNormal(new Shape(3, 5)),
          1e-6f,
          x);
    }
  }
}
