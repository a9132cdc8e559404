package org.mm1lab.testkit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contracts of a component that is a DJL {@link Block}, on the real engine: every parameter
 * learns, the same seed gives the same parameters and outputs, and saved parameters load into a
 * fresh component and give the same outputs (which is what a checkpoint relies on).
 *
 * @param <T> the component type
 * @param <C> the context type
 */
public abstract class BlockContract<T extends Block, C> extends ComponentContract<T, C> {

  BlockContract() {}

  /** Allocates the component's parameters for the inputs {@link #forward} feeds. */
  abstract void initialize(T component, NDManager manager);

  /**
   * One forward pass on fixed inputs (the same on every call): the component's main output, on
   * which the contracts build a loss.
   */
  abstract NDArray forward(T component, NDManager manager, boolean training);

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
