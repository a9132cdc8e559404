package org.mm1lab.core.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code mm1 bench} measures and how long.
 *
 * @param runFile the run to benchmark, or {@code null} for the built-in tiny run (with {@code
 *     quick})
 * @param overrides {@code --set} overrides
 * @param quick tiny sizes and few steps: every figure, in seconds, meaningless as a measurement
 * @param scaling also the scaling sweep over batch, sequence, image and image-token sizes
 * @param json where to write the figures as JSON, or {@code null}
 * @param plot where to write the scaling plot (PNG), or {@code null} for {@code bench-scaling.png}
 *     in the working folder
 * @param warmup untimed training steps before the timed ones
 * @param steps timed training steps
 * @param memorySteps {@code N}: resident memory is read after {@code N} and {@code 10 N} training
 *     steps; 0 skips the check
 * @param vocabulary with the world tokenizer, the vocabulary size the benchmark pads it to (see
 *     {@link BenchTokenizer}); 0 keeps the world tokenizer
 * @param newTokens tokens generated per row in the generation figures
 * @param matmulSize the side of the square matrices of the peak measurement
 * @param pipelineSeconds the least time the data pipeline is timed
 * @param contend competing CPU-bound processes for the contended training figures; 0 skips them
 */
public record BenchOptions(
    Path runFile,
    List<String> overrides,
    boolean quick,
    boolean scaling,
    Path json,
    Path plot,
    int warmup,
    int steps,
    int memorySteps,
    int vocabulary,
    int newTokens,
    int matmulSize,
    double pipelineSeconds,
    int contend) {

  public BenchOptions {
    overrides = List.copyOf(overrides);
    if (warmup < 0
        || steps < 1
        || memorySteps < 0
        || vocabulary < 0
        || newTokens < 1
        || contend < 0
        || matmulSize < 1) {
      throw new IllegalArgumentException(
          "warm-up, memory steps, vocabulary and contention must be >= 0, steps, new tokens and"
              + " the matmul size >= 1");
    }
  }

  /**
   * The defaults: a full measurement (20 warm-up and 10 timed steps, memory at 100 and 1000 steps,
   * an 8192-id vocabulary, 64 new tokens, a 2048 matrix), or with {@code quick} the fewest steps
   * and smallest sizes that still produce every figure.
   *
   * <p>Twenty warm-up steps, because a run's first steps pay one-time costs: the JIT compiling the
   * Java side of every op, and PyTorch and oneDNN building kernels for each batch shape not seen
   * before (the number of images varies from step to step). On the small bench config, steps 4-13
   * took 1.430 s on average and steps 31-50 1.313 s, and a 1000-step run settles near 1.2 s.
   */
  public static BenchOptions defaults(
      Path runFile, List<String> overrides, boolean quick, boolean scaling, Path json, Path plot) {
    return quick
        ? new BenchOptions(
            runFile, overrides, true, scaling, json, plot, 1, 2, 2, 512, 8, 256, 0.5, 0)
        : new BenchOptions(
            runFile, overrides, false, scaling, json, plot, 20, 10, 100, 8192, 64, 2048, 5.0, 0);
  }

  /** These options with other step counts. */
  public BenchOptions withSteps(int newWarmup, int newSteps, int newMemorySteps) {
    return new BenchOptions(
        runFile,
        overrides,
        quick,
        scaling,
        json,
        plot,
        newWarmup,
        newSteps,
        newMemorySteps,
        vocabulary,
        newTokens,
        matmulSize,
        pipelineSeconds,
        contend);
  }

  /** These options with another vocabulary and generation length. */
  public BenchOptions withVocabulary(int newVocabulary, int newNewTokens) {
    return new BenchOptions(
        runFile,
        overrides,
        quick,
        scaling,
        json,
        plot,
        warmup,
        steps,
        memorySteps,
        newVocabulary,
        newNewTokens,
        matmulSize,
        pipelineSeconds,
        contend);
  }

  /**
   * These options with another side of the matmul peak's matrices: a GPU needs a larger one than
   * the 2048 default to reach its peak (a 2048^3 product takes well under a millisecond there).
   */
  public BenchOptions withMatmulSize(int side) {
    return new BenchOptions(
        runFile,
        overrides,
        quick,
        scaling,
        json,
        plot,
        warmup,
        steps,
        memorySteps,
        vocabulary,
        newTokens,
        side,
        pipelineSeconds,
        contend);
  }

  /** These options with {@code processes} competing processes for the contended figures. */
  public BenchOptions withContention(int processes) {
    return new BenchOptions(
        runFile,
        overrides,
        quick,
        scaling,
        json,
        plot,
        warmup,
        steps,
        memorySteps,
        vocabulary,
        newTokens,
        matmulSize,
        pipelineSeconds,
        processes);
  }

  /**
   * Untimed steps of the contended phase: the idle phase has compiled the code and built the
   * kernels, so only the new thread count and the competitors' start need to settle.
   */
  int contendedWarmup() {
    return Math.min(warmup, 3);
  }
}
