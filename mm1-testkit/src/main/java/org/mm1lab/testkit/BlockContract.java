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
          Blocks.parameters(saved), Blocks.parameters(loaded), "after saveParameters/loadParameters");
      Blocks.assertSameValues(output, forward(loaded, manager, false), "outputs after loading");
    }
  }
}
