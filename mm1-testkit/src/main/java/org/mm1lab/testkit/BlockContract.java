package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mm1lab.toolkit.arrays.Precision;
import org.mm1lab.toolkit.nn.MixedPrecisionStore;

/**
 * The contracts of a component that is a DJL {@link Block}, on the real engine: every parameter
 * learns, in float32 and in mixed precision, the same seed gives the same parameters and outputs,
 * and saved parameters load into a fresh component and give the same outputs (which is what a
 * checkpoint relies on).
 *
 * @param <T> the component type
 * @param <C> the context type
 */
public abstract class BlockContract<T extends Block, C> extends ComponentContract<T, C> {

  /**
   * The largest difference between a float16 and a float32 output, relative to the largest float32
   * value: float16 keeps about three decimal digits, and a few layers compound its rounding.
   */
  private static final double OUTPUT_TOLERANCE = 0.03;

  /**
   * The largest difference between a parameter's gradient from a float16 pass and from a float32
   * pass, relative to the float32 gradient's norm (both L2).
   */
  private static final double GRADIENT_TOLERANCE = 0.1;

  /**
   * A fraction of the norm of all the float32 gradients together, below which a parameter's own
   * gradient counts as rounding noise (it is zero in exact arithmetic, say) and only has to differ
   * by less than {@link #GRADIENT_TOLERANCE} times this floor.
   */
  private static final double GRADIENT_FLOOR = 1e-3;

  BlockContract() {}

  /** Allocates the component's parameters for the inputs {@link #forward} feeds. */
  abstract void initialize(T component, NDManager manager);

  /**
   * One forward pass on fixed inputs (the same on every call): the component's main output, on
   * which the contracts build a loss.
   *
   * @param store where the component reads its parameters
   * @param inputType the type of the fixed float inputs (pixels, features, image tokens): float32,
   *     or float16 as mixed-precision training passes them
   */
  abstract NDArray forward(
      T component, NDManager manager, ParameterStore store, DataType inputType, boolean training);

  /** {@link #forward(Block, NDManager, ParameterStore, DataType, boolean)} in float32. */
  final NDArray forward(T component, NDManager manager, boolean training) {
    return forward(
        component, manager, new ParameterStore(manager, false), DataType.FLOAT32, training);
  }

  /** Sets the engine offline, as the host runs it. */
  @BeforeAll
  static void offlineEngine() {
    Blocks.offlineEngine();
  }

  /** A component created in {@link #context()}, seeded and initialised. */
  final T initialized(NDManager manager, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    T component = create(context());
    initialize(component, manager);
    return component;
  }

  @Test
  public void gradientsReachEveryParameter() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T component = initialized(manager, 1);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray output = forward(component, manager, true);
        NDArray weights = Blocks.randomNormal(manager, output.getShape(), 3);
        collector.backward(output.mul(weights).sum());
      }
      Blocks.assertEveryParameterHasAGradient(component);
    }
  }

  /**
   * The backward pass must not depend on memory the forward pass let go of: the gradients are the
   * same bit for bit when the garbage collector runs (and freed native memory is reused) between
   * forward and backward. Fails, for instance, for {@code x.mul(0.5)} on an array that needs
   * gradients; use {@link org.mm1lab.toolkit.arrays.Scalars#multiply} there.
   */
  @Test
  public void gradientsDoNotChangeWhenTheCollectorRunsBeforeBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T component = initialized(manager, 1);
      Map<String, float[]> quiet = gradients(component, manager, false);
      for (int round = 0; round < 5; round++) {
        Blocks.assertSameParameters(
            quiet,
            gradients(component, manager, true),
            "gradients after a garbage collection between forward and backward");
      }
    }
  }

  private Map<String, float[]> gradients(T component, NDManager manager, boolean churn) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.zeroGradients();
      NDArray output = forward(component, step, true);
      NDArray weights = Blocks.randomNormal(step, output.getShape(), 3);
      NDArray loss = output.mul(weights).sum();
      if (churn) {
        Blocks.churnNativeMemory();
      }
      collector.backward(loss);
      return Blocks.gradients(component);
    }
  }

  /**
   * The component trains in mixed precision ({@code mm1.train.precision = fp16-mixed}): with
   * float16 inputs and its parameters read through a {@link MixedPrecisionStore} (float16 copies of
   * its float32 weights, norms' parameters kept float32), its output is float16 and agrees with the
   * float32 output to float16's precision, and the gradients of a loss on it reach every float32
   * parameter, finite and pointing the way the float32 gradients do. Fails when a block assumes
   * float32 activations (a product of float16 and float32 arrays), or cuts the gradient with {@code
   * toType} (see {@link Precision}).
   */
  @Test
  public void trainsInMixedPrecision() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T component = initialized(manager, 1);
      Map<String, float[]> reference;
      float[] expected;
      try (NDManager pass = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        NDArray output = forward(component, pass, true);
        expected = output.toFloatArray();
        collector.backward(output.mul(Blocks.randomNormal(pass, output.getShape(), 3)).sum());
        reference = Blocks.gradients(component);
      }
      MixedPrecisionStore store = new MixedPrecisionStore(manager, DataType.FLOAT16);
      float[] actual;
      try (NDManager pass = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        NDArray output = forward(component, pass, store, DataType.FLOAT16, true);
        assertEquals(
            DataType.FLOAT16,
            output.getDataType(),
            "given float16 inputs and float16 weights, the output must be float16: keep the type"
                + " the weights give the activations, and compute norms and softmax in float32"
                + " with Precision.inFloat32");
        actual = Precision.toFloat32(output).toFloatArray();
        NDArray weights = Blocks.randomNormal(pass, output.getShape(), 3);
        collector.backward(Precision.toFloat32(output).mul(weights).sum());
      } finally {
        store.release();
      }
      Blocks.assertClose(expected, actual, OUTPUT_TOLERANCE, "float16 output against float32");
      for (Pair<String, Parameter> p : component.getParameters()) {
        assertEquals(
            DataType.FLOAT32,
            p.getValue().getArray().getDataType(),
            p.getKey() + ": the master parameter must stay float32");
      }
      Map<String, float[]> gradients = Blocks.gradients(component);
      double total = 0;
      for (float[] gradient : reference.values()) {
        total = Math.hypot(total, Blocks.norm(gradient));
      }
      for (Map.Entry<String, float[]> entry : reference.entrySet()) {
        Blocks.assertGradientClose(
            entry.getValue(),
            gradients.get(entry.getKey()),
            GRADIENT_TOLERANCE,
            GRADIENT_FLOOR * total,
            "the float16 pass's gradient of " + entry.getKey());
      }
    }
  }

  @Test
  public void theSameSeedGivesTheSameParametersAndOutputs() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T first = initialized(manager, 5);
      Map<String, float[]> parameters = Blocks.parameters(first);
      NDArray output = forward(first, manager, false);
      T second = initialized(manager, 5);
      Blocks.assertSameParameters(
          parameters, Blocks.parameters(second), "initialised twice from one seed");
      Blocks.assertSameValues(output, forward(second, manager, false), "outputs for one seed");
      Blocks.assertSameValues(output, forward(first, manager, false), "a second pass");
    }
  }

  @Test
  public void savedParametersLoadIntoAFreshComponentAndGiveTheSameOutputs() {
    try (NDManager manager = NDManager.newBaseManager()) {
      T saved = initialized(manager, 1);
      NDArray output = forward(saved, manager, false);
      byte[] bytes = Blocks.save(saved);
      T loaded = initialized(manager, 2);
      Blocks.load(loaded, manager, bytes);
      Blocks.assertSameParameters(
          Blocks.parameters(saved),
          Blocks.parameters(loaded),
          "after saveParameters/loadParameters");
      Blocks.assertSameValues(output, forward(loaded, manager, false), "outputs after loading");
    }
  }
}
