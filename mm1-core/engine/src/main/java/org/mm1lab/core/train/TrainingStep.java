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
import org.mm1lab.toolkit.nn.MixedPrecisionStore;

/**
 * One optimisation step: forward, next-token loss plus the decoder's auxiliary losses, backward,
 * global gradient-norm clipping, AdamW. Every array the step creates is closed before it returns,
 * so a long run's native memory stays flat.
 *
 * <p>In float32 (no {@link LossScaler}) everything is float32. In mixed precision (with one) the
 * blocks read float16 copies of the float32 parameters ({@link MixedPrecisionStore}) and the pixels
 * arrive in float16, so the forward and backward passes run in float16 while the gradients land on
 * the float32 parameters; the loss, computed in float32, is multiplied by the scaler's scale before
 * the backward pass, and the update divides the gradients by it again. A step whose gradients
 * overflowed float16 changes nothing ({@link Result#skipped()}); the scaler adapts its scale either
 * way.
 */
public final class TrainingStep {

  private final MultimodalModel model;
  private final ParameterStore parameterStore;
  private final MixedPrecisionStore mixedStore;
  private final LossScaler scaler;
  private final NDManager manager;
  private final List<Map.Entry<String, Parameter>> parameters;
  private final ClippedUpdate update;
  private PhaseSink phases;

  /**
   * A float32 step.
   *
   * @param model the initialised model
   * @param optimizer its optimizer
   * @param manager the manager batches are copied into (a sub-manager per step)
   * @param maxGradientNorm the global L2 norm gradients are clipped to; 0 or less disables
   */
  public TrainingStep(
      MultimodalModel model, AdamW optimizer, NDManager manager, double maxGradientNorm) {
    this(model, optimizer, manager, maxGradientNorm, null);
  }

  /**
   * A float32 step ({@code scaler} null) or a mixed-precision one.
   *
   * @param model the initialised model, its parameters float32
   * @param optimizer its optimizer
   * @param manager the manager batches are copied into (a sub-manager per step)
   * @param maxGradientNorm the global L2 norm the unscaled gradients are clipped to; 0 or less
   *     disables
   * @param scaler the dynamic loss scale of mixed-precision training, or {@code null} for float32
   */
  public TrainingStep(
      MultimodalModel model,
      AdamW optimizer,
      NDManager manager,
      double maxGradientNorm,
      LossScaler scaler) {
    this.model = model;
    this.manager = manager;
    this.scaler = scaler;
    this.mixedStore = scaler == null ? null : new MixedPrecisionStore(manager, DataType.FLOAT16);
    this.parameterStore = scaler == null ? new ParameterStore(manager, false) : mixedStore;
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
    double lossScale = scaler == null ? 1 : scaler.scale();
    try (NDManager stepManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      double lmLoss = 0;
      Map<String, Float> auxiliary = new LinkedHashMap<>();
      Map<String, float[]> statistics = new LinkedHashMap<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        update.startStep(collector);
        for (HostBatch batch : microBatches) {
          long mark = System.nanoTime();
          HostBatch.Inputs inputs = inComputeType(batch.inputs(stepManager));
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
          NDArray objective = microBatches.size() == 1 ? total : Scalars.multiply(total, scale);
          try {
            collector.backward(scaler == null ? objective : Scalars.multiply(objective, lossScale));
          } finally {
            if (mixedStore != null) {
              // the masters change in the update: the next pass copies them afresh
              mixedStore.release();
            }
          }
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
      double norm;
      boolean skipped = false;
      if (scaler == null) {
        norm = update.apply(learningRate);
      } else {
        norm = update.applyScaled(learningRate, lossScale);
        skipped = !Double.isFinite(norm);
        scaler.update(skipped);
      }
      lap(
          Phase.OPTIMIZER,
          mark,
          parameters.isEmpty() ? null : parameters.get(0).getValue().getArray());
      return new Result(
          (float) lmLoss,
          auxiliary,
          norm,
          statistics,
          skipped,
          scaler == null ? Double.NaN : lossScale);
    } finally {
      if (mixedStore != null) {
        // a pass that failed before its backward leaves copies behind
        mixedStore.release();
      }
    }
  }

  /**
   * The batch's arrays as the blocks take them: unchanged in float32; with the pixels in float16 in
   * mixed precision, since the encoder's first product meets float16 weights. The pixels are data,
   * not a result of the model, so the engine's own cast (not differentiable) is right here.
   */
  private HostBatch.Inputs inComputeType(HostBatch.Inputs inputs) {
    if (mixedStore == null || inputs.pixels() == null) {
      return inputs;
    }
    return new HostBatch.Inputs(
        inputs.tokens(),
        inputs.attentionMask(),
        inputs.imageSlots(),
        inputs.pixels().toType(mixedStore.computeType(), false),
        inputs.labels(),
        inputs.lossMask());
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
   * @param gradientNorm the global gradient norm before clipping (of the unscaled gradients); NaN
   *     or infinite for a skipped step
   * @param statistics the decoder's statistics (e.g. {@code expert-load}) as flat arrays
   * @param skipped whether the step's gradients overflowed float16, so that it changed nothing
   *     (mixed precision only)
   * @param lossScale the scale the step multiplied its loss by; NaN in float32
   */
  public record Result(
      float loss,
      Map<String, Float> auxiliaryLosses,
      double gradientNorm,
      Map<String, float[]> statistics,
      boolean skipped,
      double lossScale) {}
}
