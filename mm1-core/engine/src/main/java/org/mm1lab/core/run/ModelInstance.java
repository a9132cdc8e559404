package org.mm1lab.core.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.Origins;
import org.mm1lab.core.train.MultimodalModel;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/**
 * A run's model allocated on a device: the manager that owns every parameter, and the model.
 * Closing it frees all of the model's native memory.
 */
public final class ModelInstance implements AutoCloseable {

  private final NDManager manager;
  private final MultimodalModel model;
  private ThreadPolicy.Choice threads;

  private ModelInstance(NDManager manager, MultimodalModel model) {
    this.manager = manager;
    this.model = model;
  }

  /**
   * Allocates a run's components on the run's device ({@code mm1.device}), initialised from its
   * seed, shaped for its sequence length, with the engine's compute threads chosen by the run's
   * {@link ThreadPolicy} for the calling thread (call it from the thread that will compute).
   *
   * @throws UserException when the device asked for is not there
   */
  public static ModelInstance allocate(RunPlan plan, Components components) {
    // before anything starts the engine, which reads its inter-op count only once
    ThreadPolicy.Choice threads = ThreadPolicy.of(plan.run()).apply();
    Device device;
    try {
      device = Devices.select(plan.run().device());
    } catch (UserException e) {
      // Said where the setting came from: a run file's line, a --set, or the default.
      String path = "mm1.device";
      String where =
          plan.config().config().hasPath(path)
              ? Origins.describe(plan.config().config().getValue(path).origin())
              : "unset";
      throw new UserException(e.getMessage().replaceFirst(path, path + " (" + where + ")"), e);
    }
    ModelInstance instance =
        allocate(components, device, plan.run().seed(), plan.train().sequenceLength());
    instance.threads = threads;
    return instance;
  }

  /**
   * Allocates the components' parameters with random initial values derived from {@code seed}.
   *
   * @param components the assembled components
   * @param device where the parameters live
   * @param seed seeds the engine's initialisers, so the same seed gives the same initial model
   * @param sequenceLength the training sequence length, for shape inference
   */
  public static ModelInstance allocate(
      Components components, Device device, long seed, int sequenceLength) {
    // DJL's initialisers draw from the engine's generator; factories cannot seed them.
    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    NDManager manager = NDManager.newBaseManager(device);
    try {
      MultimodalModel model = new MultimodalModel(components);
      model.initialize(manager, sequenceLength);
      return new ModelInstance(manager, model);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads the pretrained weights each component's own options name (an encoder's or a decoder's
   * {@code checkpoint}); for a new run, not for one resumed from its own checkpoint.
   *
   * @return a line per component that loaded weights, for the user
   * @throws UserException naming the component's section and what does not fit
   */
  public List<String> loadPretrained() {
    List<String> loaded = new ArrayList<>();
    Components c = model.components();
    load("encoder", () -> c.encoder().loadPretrained(manager), loaded);
    load("connector", () -> c.connector().loadPretrained(manager), loaded);
    load("decoder", () -> c.decoder().loadPretrained(manager), loaded);
    return loaded;
  }

  private static void load(String component, BooleanSupplier loader, List<String> loaded) {
    String section = "mm1.model." + component;
    try {
      if (loader.getAsBoolean()) {
        loaded.add(component + ": pretrained weights loaded (" + section + ".checkpoint)");
      }
    } catch (WeightMismatchException e) {
      throw new UserException(section + ".checkpoint does not fit the model: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new UserException(section + ".checkpoint cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The compute threads chosen when the run was allocated, or {@code null} for a model allocated
   * without a run's settings (the engine's own default then).
   */
  public ThreadPolicy.Choice threads() {
    return threads;
  }

  /** The manager that owns the parameters (sub-managers of it hold per-step temporaries). */
  public NDManager manager() {
    return manager;
  }

  /** The model. */
  public MultimodalModel model() {
    return model;
  }

  @Override
  public void close() {
    manager.close();
  }
}
