package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.PatchGrid;

/**
 * The C-Abstractor against a reference written out op by op in the channel-first layout of
 * Honeybee's PyTorch code (timm's {@code LayerNorm2d}, grouped 3x3 convolution, squeeze-excitation,
 * adaptive average pooling), from the same parameters: the outputs and the gradients agree, so the
 * block's own layout (channels-last, 1x1 convolutions as products) is an implementation detail.
 */
class CAbstractorReferenceTest {

  private static final float EPSILON = 1e-6f;

  @Test
  void outputAndGradientsEqualTheChannelFirstReference() {
    // a widening first block (8 -> 12 channels), a non-square 6 x 5 grid pooled to 3 x 3
    PatchGrid grid = new PatchGrid(6, 5, 8);
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      CAbstractor connector = new CAbstractor(grid, 3, 2, 12, 10);
      NDArray x = manager.randomNormal(new Shape(2, grid.patches(), grid.channels()));
      connector.initialize(manager, x.getDataType(), x.getShape());
      PairList<String, Parameter> parameters = connector.getParameters();
      Map<String, NDArray> byName = byName(parameters);
      // the parameters start with no particular values (norm gains 1, shifts 0): perturb them all
      for (Parameter p : parameters.values()) {
        NDArray a = p.getArray();
        a.addi(manager.randomNormal(0f, 0.1f, a.getShape(), a.getDataType()));
      }
      ParameterStore store = new ParameterStore(manager, false);
      NDArray weights = manager.randomNormal(new Shape(2, 9, 10));

      NDArray actual;
      float[][] actualGradients;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        actual = connector.connect(store, x, true);
        collector.backward(actual.mul(weights).sum());
      }
      actualGradients = gradients(parameters);

      NDArray expected;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        expected = reference(byName, grid, x, 3, 2);
        collector.backward(expected.mul(weights).sum());
      }
      float[][] expectedGradients = gradients(parameters);

      assertEquals(expected.getShape(), actual.getShape());
      assertClose(expected.toFloatArray(), actual.toFloatArray(), "output");
      for (int i = 0; i < expectedGradients.length; i++) {
        assertClose(
            expectedGradients[i], actualGradients[i], "gradient of " + parameters.keys().get(i));
      }
    }
  }

  /**
   * The arrays by their names without DJL's child-order prefixes ({@code
   * 01stage1_block1_01conv1_weight} -> {@code stage1_block1_conv1_weight}).
   */
  private static Map<String, NDArray> byName(PairList<String, Parameter> parameters) {
    Map<String, NDArray> arrays = new HashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      String name = parameters.keys().get(i).replaceAll("(^|_)\\d\\d", "$1");
      arrays.put(name, parameters.values().get(i).getArray());
    }
    return arrays;
  }

  private static float[][] gradients(PairList<String, Parameter> parameters) {
    return parameters.values().stream()
        .map(p -> p.getArray().getGradient().toFloatArray())
        .toArray(float[][]::new);
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    float scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= 1e-4f * (1 + scale),
          what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
  }

  /** Honeybee's C-Abstractor, channel-first, from the connector's own parameters. */
  private static NDArray reference(
      Map<String, NDArray> p, PatchGrid grid, NDArray x, int side, int depth) {
    long batch = x.getShape().get(0);
    NDArray maps =
        x.add(p.get("position_embedding"))
            .transpose(0, 2, 1)
            .reshape(batch, grid.channels(), grid.height(), grid.width());
    for (int i = 1; i <= depth; i++) {
      maps = block(p, "stage1_block" + i + "_", maps);
    }
    // adaptive average pooling of (B, C, h, w) as a product with PyTorch's pooling matrix
    float[] pool = AdaptivePooling.matrix(grid.height(), grid.width(), side, side);
    NDArray matrix = x.getManager().create(pool, new Shape((long) side * side, grid.patches()));
    long channels = maps.getShape().get(1);
    maps =
        maps.reshape(batch, channels, grid.patches())
            .matMul(matrix.transpose())
            .reshape(batch, channels, side, side);
    for (int i = 1; i <= depth; i++) {
      maps = block(p, "stage2_block" + i + "_", maps);
    }
    long hidden = maps.getShape().get(1);
    NDArray tokens = maps.reshape(batch, hidden, (long) side * side).transpose(0, 2, 1);
    NDArray y = linear(p, "readout1_", tokens);
    return linear(p, "readout2_", silu(y));
  }

  private static NDArray block(Map<String, NDArray> p, String name, NDArray x) {
    NDArray y = silu(norm(p, name + "norm1_", conv(p, name + "conv1_", x, 1)));
    long channels = y.getShape().get(1);
    y = silu(norm(p, name + "norm2_", conv(p, name + "conv2_", y, (int) channels)));
    long batch = y.getShape().get(0);
    NDArray squeezed = y.reshape(batch, channels, -1).mean(new int[] {2});
    NDArray gate = linear(p, name + "se_expand_", silu(linear(p, name + "se_reduce_", squeezed)));
    y = y.mul(gate.getNDArrayInternal().sigmoid().reshape(batch, channels, 1, 1));
    y = norm(p, name + "norm3_", conv(p, name + "conv3_", y, 1));
    NDArray shortcut = x;
    if (p.containsKey(name + "shortcut_conv_weight")) {
      shortcut = norm(p, name + "shortcut_norm_", conv(p, name + "shortcut_conv_", x, 1));
    }
    return silu(y.add(shortcut));
  }

  private static NDArray conv(Map<String, NDArray> p, String name, NDArray x, int groups) {
    NDArray w = p.get(name + "weight");
    long k = w.getShape().get(2);
    return Conv2d.conv2d(
            x, w, null, new Shape(1, 1), new Shape(k / 2, k / 2), new Shape(1, 1), groups)
        .singletonOrThrow();
  }

  /** timm's LayerNorm2d: each pixel's channels normalised. */
  private static NDArray norm(Map<String, NDArray> p, String name, NDArray x) {
    long channels = x.getShape().get(1);
    return LayerNorm.layerNorm(
            x.transpose(0, 2, 3, 1),
            new Shape(channels),
            p.get(name + "gamma"),
            p.get(name + "beta"),
            EPSILON)
        .singletonOrThrow()
        .transpose(0, 3, 1, 2);
  }

  private static NDArray linear(Map<String, NDArray> p, String name, NDArray x) {
    return Linear.linear(x, p.get(name + "weight"), p.get(name + "bias")).singletonOrThrow();
  }

  private static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }
}
