package org.mm1lab.core.bench;

import java.util.Map;

/**
 * Every figure one {@code mm1 bench} run measured, and the ratios derived from them; what {@link
 * BenchTargets} judges and {@link BenchText} and {@link BenchJson} render. Ratios, not absolute
 * numbers, are what carry across machines: MFU divides by this machine's own measured peak.
 *
 * @param setup the run as set up
 * @param warmup untimed training steps before the timed ones
 * @param peak the float32 matmul peak, which MFU divides by
 * @param halfPeak the float16 matmul peak, or {@code null} when the engine has no float16 product
 *     on the device
 * @param training the timed training steps
 * @param generation generation at batch 1
 * @param evalGeneration generation at the batch {@code mm1 eval} uses
 * @param pipeline the data pipeline timed alone
 * @param baselineName the baseline run's name, or {@code null} without one
 * @param baseline the baseline run's timed steps, or {@code null} without one
 * @param peakRss the process's peak resident bytes, -1 when unknown
 * @param loadAfter the one-minute load average at the end
 * @param contended the training step with competing processes, or {@code null} when not run
 * @param scaling the scaling sweep, or {@code null} when not run
 */
record BenchFigures(
    Setup setup,
    int warmup,
    MatmulPeak.Result peak,
    MatmulPeak.Result halfPeak,
    TrainingBench.Result training,
    GenerationBench.Result generation,
    GenerationBench.Result evalGeneration,
    PipelineBench.Result pipeline,
    String baselineName,
    TrainingBench.Result baseline,
    long peakRss,
    double loadAfter,
    ContentionBench.Result contended,
    ScalingBench.Result scaling) {

  /** These figures with the scaling sweep added. */
  BenchFigures withScaling(ScalingBench.Result result) {
    return new BenchFigures(
        setup,
        warmup,
        peak,
        halfPeak,
        training,
        generation,
        evalGeneration,
        pipeline,
        baselineName,
        baseline,
        peakRss,
        loadAfter,
        contended,
        result);
  }

  /** Model FLOP utilisation of the training step: model FLOP/s over the measured matmul peak. */
  double mfu() {
    return training.flopsPerSecond() / peak.flopsPerSecond();
  }

  /**
   * The contended step's speed over the idle step's, as model FLOP/s (steps differ in their number
   * of images); NaN when not measured.
   */
  double contendedSpeed() {
    return contended == null
        ? Double.NaN
        : contended.training().flopsPerSecond() / training.flopsPerSecond();
  }

  /** MFU of the contended step against the idle peak; NaN when not measured. */
  double contendedMfu() {
    return contended == null
        ? Double.NaN
        : contended.training().flopsPerSecond() / peak.flopsPerSecond();
  }

  /** Resident memory growth from {@code N} to {@code 10 N} steps, NaN when not measured. */
  double memoryGrowth() {
    if (training.rssAtN() <= 0 || training.rssAt10N() <= 0) {
      return Double.NaN;
    }
    return (training.rssAt10N() - training.rssAtN()) / (double) training.rssAtN();
  }

  /** Batches per second the trainer consumes. */
  double trainerBatchesPerSecond() {
    return 1 / training.stepSeconds();
  }

  /** Images per second the trainer consumes. */
  double trainerImagesPerSecond() {
    return training.images() / training.stepSeconds();
  }

  /** How many times faster the pipeline prepares batches than the trainer consumes them. */
  double pipelineHeadroom() {
    return pipeline.batchesPerSecond() / trainerBatchesPerSecond();
  }

  /** Whether a baseline run was timed. */
  boolean hasBaseline() {
    return baseline != null;
  }

  /** This run's step time over the baseline's; only with a baseline. */
  double baselineRatio() {
    return training.stepSeconds() / baseline.stepSeconds();
  }

  /**
   * The run as set up.
   *
   * @param name the run's name
   * @param runFile the run file
   * @param device the engine's device
   * @param engine engine name and version
   * @param processors processors the JVM sees
   * @param ompThreads {@code OMP_NUM_THREADS}, or {@code null}
   * @param threads the engine's compute threads and what chose them
   * @param mallocTunables {@code GLIBC_TUNABLES} (how native memory is allocated), or {@code null}
   * @param vocabulary the decoder's vocabulary
   * @param batchSize rows per batch
   * @param sequenceLength positions per row
   * @param precision {@code mm1.train.precision} as written: {@code fp32} or {@code fp16-mixed}
   * @param imageTokens image tokens per image
   * @param imageSize the encoder's image side
   * @param parameters parameter counts by component
   * @param flops the model FLOPs formula's terms
   * @param loadBefore the one-minute load average at the start
   */
  record Setup(
      String name,
      String runFile,
      String device,
      String engine,
      int processors,
      String ompThreads,
      String threads,
      String mallocTunables,
      int vocabulary,
      int batchSize,
      int sequenceLength,
      String precision,
      int imageTokens,
      int imageSize,
      Map<String, Long> parameters,
      ModelFlops flops,
      double loadBefore) {

    /** Parameters of every component together. */
    long totalParameters() {
      return parameters.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
