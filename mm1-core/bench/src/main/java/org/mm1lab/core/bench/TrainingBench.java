package org.mm1lab.core.bench;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.pipeline.BatchPipeline;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.core.train.AdamW;
import org.mm1lab.core.train.LearningRateSchedule;
import org.mm1lab.core.train.LossScaler;
import org.mm1lab.core.train.TrainingStep;
import org.mm1lab.core.train.TrainingStep.Phase;

/**
 * Times real training steps of a run: the trainer's data pipeline, {@link TrainingStep} with its
 * phase timers, AdamW under the run's warm-up and cosine schedule. The first {@code warmup} steps
 * are not timed (allocator, thread pools and the JIT settle). When asked, training goes on to
 * {@code memorySteps} and {@code 10 x memorySteps} steps and reads the resident memory at both,
 * which is the flatness check: a loop that leaks native arrays grows between them.
 *
 * <p>Output: only the {@link Progress} of the steps, to the writer given; nothing is logged.
 */
final class TrainingBench {

  private TrainingBench() {}

  /**
   * Trains and measures.
   *
   * @param run the assembled run
   * @param warmup untimed steps first
   * @param steps timed steps
   * @param memorySteps {@code N} for the resident-memory reading after {@code N} and {@code 10N}
   *     steps; 0 for none
   * @param out progress lines
   * @param terminal whether {@code out} is a terminal
   */
  static Result run(
      BenchRun run, int warmup, int steps, int memorySteps, PrintWriter out, boolean terminal) {
    int total = Math.max(warmup + steps, memorySteps * 10);
    NDManager manager = run.instance.manager();
    EnumMap<Phase, Long> phaseNanos = new EnumMap<>(Phase.class);
    boolean[] timing = {false};
    ResidentMemory.Reading atN = null;
    ResidentMemory.Reading at10N = null;
    int nonFinite = 0;
    long measuredNanos = 0;
    long dataWaitNanos = 0;
    long positions = 0;
    long realTokens = 0;
    long targets = 0;
    long images = 0;
    double flops = 0;
    double[] stepSeconds = new double[steps];
    int imageTokens = run.components.connector().tokens();
    Progress progress =
        new Progress(out, terminal, "bench train", 0, total, Math.max(1, total / 10));
    try (NDManager optimizerMemory = manager.newSubManager();
        BatchPipeline pipeline =
            new BatchPipeline(
                run.pipelineConfig(), PipelineState.start(run.components.mixer().saveState()))) {
      AdamW optimizer =
          new AdamW(
              optimizerMemory,
              run.train.beta1(),
              run.train.beta2(),
              run.train.epsilon(),
              run.train.weightDecay());
      TrainingStep stepper =
          new TrainingStep(
                  run.instance.model(),
                  optimizer,
                  manager,
                  run.train.gradientClip(),
                  // the run's precision: fp16-mixed is timed as it trains
                  run.train.mixedPrecision() ? new LossScaler(run.train.lossScaling()) : null)
              .recordPhases(
                  (phase, nanos) -> {
                    if (timing[0]) {
                      phaseNanos.merge(phase, nanos, Long::sum);
                    }
                  });
      // the run's own warm-up and decay: a constant peak rate from step 0 can diverge, and a
      // diverged (NaN) run measures nothing a user would see
      LearningRateSchedule schedule =
          new LearningRateSchedule(
              run.train.learningRate(),
              run.train.warmupSteps(),
              Math.max(total, run.train.steps()),
              run.train.minLearningRateRatio());
      for (int step = 0; step < total; step++) {
        int measured = step - warmup;
        timing[0] = measured >= 0 && measured < steps;
        long start = System.nanoTime();
        HostBatch batch = pipeline.next();
        long waited = System.nanoTime() - start;
        TrainingStep.Result result = stepper.run(batch, schedule.at(step));
        long nanos = System.nanoTime() - start;
        if (!Float.isFinite(result.loss())) {
          // a diverged step takes as long as any other: counted and reported, not fatal here
          nonFinite++;
        }
        if (timing[0]) {
          stepSeconds[measured] = nanos / 1e9;
          measuredNanos += nanos;
          dataWaitNanos += waited;
          long batchImages = batch.imageCount();
          long batchPositions = (long) batch.batchSize() * batch.sequenceLength();
          positions += batchPositions;
          realTokens += batch.realTokens();
          long batchTargets = batch.targetTokens();
          targets += batchTargets;
          images += batchImages;
          flops += run.flops.training(batchPositions, batchTargets, batchImages);
        }
        int done = step + 1;
        if (memorySteps > 0 && done == memorySteps) {
          atN = ResidentMemory.steady();
        }
        if (memorySteps > 0 && done == memorySteps * 10) {
          at10N = ResidentMemory.steady();
        }
        progress.step(done, result.loss(), batch.realTokens() / (nanos / 1e9), "tok/s");
      }
      progress.finish();
    }
    double seconds = measuredNanos / 1e9;
    Map<Phase, Double> phases = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      phases.put(phase, phaseNanos.getOrDefault(phase, 0L) / 1e9 / steps);
    }
    double imageTokensPerStep = (double) images * imageTokens / steps;
    return new Result(
        steps,
        seconds / steps,
        median(stepSeconds),
        (double) positions / steps,
        (double) realTokens / steps,
        (double) targets / steps,
        imageTokensPerStep,
        (double) images / steps,
        flops / steps,
        dataWaitNanos / 1e9 / steps,
        phases,
        memorySteps,
        atN,
        at10N,
        nonFinite);
  }

  /** The median of {@code values} (at least one). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * What the timed steps measured, per step (means unless named otherwise).
   *
   * @param steps timed steps
   * @param stepSeconds mean wall time of a step, data wait included
   * @param medianStepSeconds median wall time of a step
   * @param positions decoder positions computed ({@code B x L})
   * @param realTokens non-padding positions, text and image slots
   * @param targets positions with a target, where the logits are computed
   * @param imageTokens image-slot positions
   * @param images images encoded
   * @param flops model training FLOPs ({@link ModelFlops})
   * @param dataWaitSeconds time waiting for the pipeline's next batch
   * @param phases time per {@link Phase} (transfer is the host-to-engine copy of the batch)
   * @param memorySteps {@code N} of the memory readings, 0 when not taken
   * @param atN memory after {@code N} steps ({@link ResidentMemory#steady()}), null when not taken
   * @param at10N memory after {@code 10 N} steps, null when not taken
   * @param nonFiniteLosses steps whose loss was not finite (any step, timed or not)
   */
  record Result(
      int steps,
      double stepSeconds,
      double medianStepSeconds,
      double positions,
      double realTokens,
      double targets,
      double imageTokens,
      double images,
      double flops,
      double dataWaitSeconds,
      Map<Phase, Double> phases,
      int memorySteps,
      ResidentMemory.Reading atN,
      ResidentMemory.Reading at10N,
      int nonFiniteLosses) {

    /** Resident bytes after {@code N} steps, -1 when not taken. */
    long rssAtN() {
      return atN == null ? -1 : atN.resident();
    }

    /** Resident bytes after {@code 10 N} steps, -1 when not taken. */
    long rssAt10N() {
      return at10N == null ? -1 : at10N.resident();
    }

    /** Model FLOP/s over the timed steps. */
    double flopsPerSecond() {
      return flops / stepSeconds;
    }

    /** Real tokens per second. */
    double tokensPerSecond() {
      return realTokens / stepSeconds;
    }

    /** Data time of a step: waiting for the batch plus copying it to the engine. */
    double dataSeconds() {
      return dataWaitSeconds + phases.get(Phase.TRANSFER);
    }
  }
}
