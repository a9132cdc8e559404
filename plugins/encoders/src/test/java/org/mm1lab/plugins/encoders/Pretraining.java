package org.mm1lab.plugins.encoders;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;

/** A minimal pretraining loop for the tests: Adam over the encoder's and objective's parameters. */
final class Pretraining {

  /** One batch: pixels, and caption tokens and mask (or nulls). */
  record Batch(NDArray pixels, NDArray tokens, NDArray mask) {}

  private Pretraining() {}

  /**
   * Runs {@code steps} steps and returns the loss of every step.
   *
   * @param batches makes the batch of a step, attached to the given (per-step) manager
   */
  static float[] run(
      NDManager manager,
      ImageEncoder encoder,
      EncoderObjective objective,
      int steps,
      float learningRate,
      Function<NDManager, Batch> batches) {
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    List<Parameter> parameters = new ArrayList<>();
    for (Pair<String, Parameter> p : encoder.getParameters()) {
      parameters.add(p.getValue());
    }
    for (Pair<String, Parameter> p : objective.getParameters()) {
      parameters.add(p.getValue());
    }
    ParameterStore ps = new ParameterStore(manager, false);
    float[] losses = new float[steps];
    long started = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      try (NDManager scratch = manager.newSubManager()) {
        Batch batch = batches.apply(scratch);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss =
              objective.loss(ps, encoder, batch.pixels(), batch.tokens(), batch.mask(), true);
          collector.backward(loss);
          losses[step] = loss.getFloat();
        }
        for (Parameter p : parameters) {
          NDArray weight = p.getArray();
          NDArray gradient = weight.getGradient();
          adam.update(p.getId(), weight, gradient);
          gradient.muli(0); // gradients accumulate across backward passes otherwise
        }
        objective.afterStep();
      }
    }
    System.out.printf(
        "%s: %d steps in %.1f s%n",
        objective.getClass().getSimpleName(), steps, (System.nanoTime() - started) / 1e9);
    return losses;
  }

  /** The mean of {@code losses[from, to)}. */
  static double mean(float[] losses, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += losses[i];
    }
    return sum / (to - from);
  }
}
