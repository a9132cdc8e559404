package org.mm1lab.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.toolkit.arrays.Scalars;

/**
 * One optimisation step: forward, next-token loss plus the decoder's auxiliary losses, backward,
 * global gradient-norm clipping, AdamW. Every array the step creates is closed before it returns,
 * so a long run's native memory stays flat.
 */
public final class TrainingStep {

  private final MultimodalModel model;
  private final ParameterStore parameterStore;
  private final NDManager manager;
  private final List<Map.Entry<String, Parameter>> parameters;
  private final ClippedUpdate update;
  private PhaseSink phases;

  /**
   * @param model the initialised model
   * @param optimizer its optimizer
   * @param manager the manager batches are copied into (a sub-manager per step)
   * @param maxGradientNorm the global L2 norm gradients are clipped to; 0 or less disables
   */
  public TrainingStep(
      MultimodalModel model, AdamW optimizer, NDManager manager, double maxGradientNorm) {
    this.model = model;
    this.manager = manager;
    this.parameterStore = new ParameterStore(manager, false);
    this.parameters = new ArrayList<>(model.getParameters().toMap().entrySet());
    this.update = new ClippedUpdate(optimizer, parameters, maxGradientNorm);
  }

  /**
   * Reports the wall time of each phase of every later step to {@code sink} ({@code null} stops
   * reporting). Off by default: timing a phase on an asynchronous device (a GPU) has to wait for
   * its work to finish, which costs a little overlap; on the CPU, PyTorch runs every op before
   * returning, so the timers cost nothing.
   *
   * @return this step
   */
  public TrainingStep recordPhases(PhaseSink sink) {
    this.phases = sink;
    return this;
  }

  /**
   * Trains on one batch.
   *
   * @param batch the batch
   * @param learningRate this step's rate
   * @return the losses and the gradient norm before clipping
   */
  public Result run(HostBatch batch, double learningRate) {
    return run(List.of(batch), learningRate);
  }

  /**
   * One optimiser step over several micro-batches (gradient accumulation): each contributes {@code
   * 1/k} of its loss's gradient, so the step equals one over their union when the micro-batches
   * carry equal numbers of targets.
   *
   * @param microBatches at least one batch
   * @param learningRate this step's rate
   * @return the mean losses over the micro-batches, the gradient norm before clipping, and the last
   *     micro-batch's decoder statistics
   */
  public Result run(List<HostBatch> microBatches, double learningRate) {
    if (microBatches.isEmpty()) {
      throw new IllegalArgumentException("a step needs at least one batch");
    }
    float scale = 1f / microBatches.size();
    try (NDManager stepManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      double lmLoss = 0;
      Map<String, Float> auxiliary = new LinkedHashMap<>();
      Map<String, float[]> statistics = new LinkedHashMap<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        update.startStep(collector);
        for (HostBatch batch : microBatches) {
          long mark = System.nanoTime();
          HostBatch.Inputs inputs = batch.inputs(stepManager);
          mark = lap(Phase.TRANSFER, mark, inputs.tokens());
          // logits only where a label counts: image slots and padding have none
          NDArray targets = NextTokenLoss.targetPositions(inputs.lossMask());
          DecoderOutput output = model.forward(parameterStore, inputs, targets, true);
          NDArray loss =
              NextTokenLoss.compute(output.logits(), inputs.labels(), inputs.lossMask(), targets);
          NDArray total = loss;
          for (Map.Entry<String, NDArray> aux : output.auxiliaryLosses().entrySet()) {
            total = total.add(aux.getValue());
            auxiliary.merge(aux.getKey(), aux.getValue().getFloat() * scale, Float::sum);
          }
          mark = lap(Phase.FORWARD, mark, total);
          collector.backward(microBatches.size() == 1 ? total : Scalars.multiply(total, scale));
          lmLoss += loss.getFloat() * scale;
          lap(Phase.BACKWARD, mark, null);
          statistics.clear();
          output
              .statistics()
              .forEach(
                  (name, value) ->
                      statistics.put(name, value.toType(DataType.FLOAT32, false).toFloatArray()));
        }
      }
      long mark = System.nanoTime();
      double norm = update.apply(learningRate);
      lap(
          Phase.OPTIMIZER,
          mark,
          parameters.isEmpty() ? null : parameters.get(0).getValue().getArray());
      return new Result((float) lmLoss, auxiliary, norm, statistics);
    }
  }

  /**
   * Reports the time since {@code start} as {@code phase} when a sink listens, after waiting for
   * {@code last} (an array the phase wrote last) so that an asynchronous device has finished it.
   *
   * @return the time now, the next phase's start
   */
  private long lap(Phase phase, long start, NDArray last) {
    if (phases == null) {
      return start;
    }
    if (last != null && last.getDevice().isGpu()) {
      // a device-to-host read waits for every op queued before it on the device's stream
      last.flatten().get(0).toArray();
    }
    long now = System.nanoTime();
    phases.record(phase, now - start);
    return now;
  }

  /** The phases of a step that {@link #recordPhases} reports. */
  public enum Phase {
    /** Copying the host batch into arrays on the model's device. */
    TRANSFER,
    /** Encoder, connector, decoder and loss. */
    FORWARD,
    /** Gradients of every trainable parameter. */
    BACKWARD,
    /** Gradient clipping and the AdamW update. */
    OPTIMIZER
  }

  /** Receives the wall time of each phase of each step (from the training thread). */
  @FunctionalInterface
  public interface PhaseSink {

    /**
     * One phase of one micro-batch or step took {@code nanos}.
     *
     * @param phase which phase
     * @param nanos its wall time in nanoseconds
     */
    void record(Phase phase, long nanos);
  }

  /**
   * What one step measured.
   *
   * @param loss the next-token loss
   * @param auxiliaryLosses the decoder's weighted auxiliary losses
   * @param gradientNorm the global gradient norm before clipping
   * @param statistics the decoder's statistics (e.g. {@code expert-load}) as flat arrays
   */
  public record Result(
      float loss,
      Map<String, Float> auxiliaryLosses,
      double gradientNorm,
      Map<String, float[]> statistics) {}
}
