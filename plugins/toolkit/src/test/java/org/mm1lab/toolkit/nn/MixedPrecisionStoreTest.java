package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.toolkit.arrays.Precision;

/**
 * {@link MixedPrecisionStore}: float16 copies of float32 masters that the gradient flows through.
 */
class MixedPrecisionStoreTest {

  /** Linear 8 -> 6, a LayerNorm over the 6 features computed in float32, Linear 6 -> 4. */
  private static SequentialBlock model(NDManager manager) {
    SequentialBlock block = new SequentialBlock();
    block.add(Linear.builder().setUnits(6).build());
    block.add(LayerNorm.builder().axis(1).build());
    block.add(Linear.builder().setUnits(4).build());
    Engine.getInstance().setRandomSeed(5);
    block.initialize(manager, DataType.FLOAT32, new Shape(2, 8));
    return block;
  }

  private static NDArray forward(SequentialBlock block, ParameterStore store, NDArray x) {
    NDArray h = Blocks.apply(block.getChildren().get(0).getValue(), store, x, true);
    h = Blocks.applyInFloat32(block.getChildren().get(1).getValue(), store, h, true);
    return Blocks.apply(block.getChildren().get(2).getValue(), store, h, true);
  }

  private static Map<String, NDArray> gradients(SequentialBlock block, ParameterStore store) {
    NDManager manager = block.getParameters().get(0).getValue().getArray().getManager();
    NDArray x =
        manager
            .create(new float[] {1, -2, 3, 0.5f, -1, 2, 0, 1, 2, 1, -1, 0, 3, -3, 1, 1})
            .reshape(2, 8);
    NDArray weights = manager.create(new float[] {1, -1, 2, 0.5f, -2, 1, 1, -0.5f}).reshape(2, 4);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.zeroGradients();
      NDArray input =
          store instanceof MixedPrecisionStore mixed ? x.toType(mixed.computeType(), false) : x;
      NDArray output = forward(block, store, input);
      collector.backward(Precision.toFloat32(output).mul(weights).sum());
    }
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      gradients.put(p.getKey(), p.getValue().getArray().getGradient().duplicate());
    }
    return gradients;
  }

  @Test
  void weightsComeAsFloat16CopiesAndNormParametersStayFloat32() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock block = model(manager);
      MixedPrecisionStore store = new MixedPrecisionStore(manager, DataType.FLOAT16);
      for (Pair<String, Parameter> p : block.getParameters()) {
        Parameter parameter = p.getValue();
        NDArray value = store.getValue(parameter, manager.getDevice(), true);
        boolean norm =
            parameter.getType() == Parameter.Type.GAMMA
                || parameter.getType() == Parameter.Type.BETA;
        assertEquals(norm ? DataType.FLOAT32 : DataType.FLOAT16, value.getDataType(), p.getKey());
        if (norm) {
          assertSame(parameter.getArray(), value, p.getKey() + " is the master itself");
        }
        assertEquals(DataType.FLOAT32, parameter.getArray().getDataType(), p.getKey());
      }
      store.release();
    }
  }

  @Test
  void aParameterReadTwiceInAPassIsCopiedOnceAndAgainAfterRelease() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock block = model(manager);
      Parameter weight = block.getParameters().get(0).getValue();
      MixedPrecisionStore store = new MixedPrecisionStore(manager, DataType.FLOAT16);
      NDArray first = store.getValue(weight, manager.getDevice(), true);
      assertSame(first, store.getValue(weight, manager.getDevice(), true));
      store.release();
      assertTrue(first.isReleased(), "release closes the pass's copies");
      NDArray next = store.getValue(weight, manager.getDevice(), true);
      assertNotSame(first, next);
      assertEquals(DataType.FLOAT16, next.getDataType());
      store.release();
    }
  }

  @Test
  void gradientsReachTheFloat32MastersCloseToThoseOfAFloat32Pass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock block = model(manager);
      Map<String, NDArray> exact = gradients(block, new ParameterStore(manager, false));
      MixedPrecisionStore store = new MixedPrecisionStore(manager, DataType.FLOAT16);
      Map<String, NDArray> mixed = gradients(block, store);
      store.release();
      for (Map.Entry<String, NDArray> entry : exact.entrySet()) {
        NDArray expected = entry.getValue();
        NDArray actual = mixed.get(entry.getKey());
        assertEquals(DataType.FLOAT32, actual.getDataType(), entry.getKey());
        float error = actual.sub(expected).norm().getFloat();
        float size = expected.norm().getFloat();
        assertTrue(size > 0, entry.getKey() + " has a gradient");
        assertTrue(
            error <= 0.01f * size,
            entry.getKey() + ": float16 gradient off by " + error + " of " + size);
      }
    }
  }

  @Test
  void onlyANarrowerFloatingTypeIsAComputeType() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class, () -> new MixedPrecisionStore(manager, DataType.FLOAT32));
      assertThrows(
          IllegalArgumentException.class, () -> new MixedPrecisionStore(manager, DataType.INT32));
      assertEquals(
          DataType.FLOAT16, new MixedPrecisionStore(manager, DataType.FLOAT16).computeType());
    }
  }

  @Test
  void anUnusedOptionalParameterIsNull() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MixedPrecisionStore store = new MixedPrecisionStore(manager, DataType.FLOAT16);
      assertNull(store.getValue(null, manager.getDevice(), true));
    }
  }
}
