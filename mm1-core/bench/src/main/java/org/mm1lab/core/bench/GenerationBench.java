package org.mm1lab.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Random;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.eval.GreedyGenerator;
import org.mm1lab.core.run.EngineThreads;

/**
 * Greedy generation speed, with the decoder's key/value cache ({@link GreedyGenerator}: one pass
 * over the prompt, then one position per new token) and without it (a full forward pass over the
 * whole, growing sequence for every new token, what a decoder without a cache must do). Both
 * produce the same tokens; the benchmark checks that they do.
 */
final class GenerationBench {

  private GenerationBench() {}

  /**
   * Measures both ways on one random prompt.
   *
   * <p>With one row the cached path moves a single position through every op, so it costs little
   * arithmetic and much Java-side dispatch: until the JIT has compiled that path, its speed says
   * more about the JVM's warm-up than about the cache (measured: 58 tokens/s on the first run of a
   * fresh process, about 200 from the fifth on). The cached path is therefore first run in full
   * {@code warmups} times and the uncached one once, untimed, and each figure is the median of
   * {@code repeats} timed runs.
   *
   * @param decoder the initialised decoder
   * @param manager on the model's device
   * @param batch rows generated together
   * @param promptLength prompt tokens per row
   * @param newTokens tokens generated per row
   * @param warmups untimed full runs of the cached path first (0: one short run of each path)
   * @param repeats timed runs of each path; the median is reported
   * @param seed for the prompt's ids
   */
  static Result run(
      Decoder decoder,
      NDManager manager,
      int batch,
      int promptLength,
      int newTokens,
      int warmups,
      int repeats,
      long seed) {
    ParameterStore store = new ParameterStore(manager, false);
    int[] ids = new int[batch * promptLength];
    Random random = new Random(seed);
    // above the few special ids, which a prompt would not be full of
    int low = Math.min(8, decoder.vocabularySize() - 1);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = low + random.nextInt(decoder.vocabularySize() - low);
    }
    try (NDManager scope = manager.newSubManager();
        NDScope arrays = new NDScope()) {
      Shape shape = new Shape(batch, promptLength);
      NDArray tokens = scope.create(ids, shape);
      NDArray mask = scope.ones(shape, DataType.INT32);
      DecoderInput prompt = DecoderInput.text(tokens, mask);
      GreedyGenerator generator = new GreedyGenerator(decoder, store);
      // at least a short run of each path, so that nothing is first compiled while timed; the
      // uncached path is bound by arithmetic, so one full run warms it
      int warmupTokens = warmups > 0 ? newTokens : Math.min(2, newTokens);
      for (int i = 0; i < Math.max(1, warmups); i++) {
        generator.generate(prompt, warmupTokens).close();
      }
      uncached(decoder, store, tokens, warmupTokens).close();
      double[] cachedSeconds = new double[repeats];
      double[] uncachedSeconds = new double[repeats];
      double[] promptSeconds = new double[repeats];
      boolean agree = true;
      for (int i = 0; i < repeats; i++) {
        // the prompt pass alone (generating one token is that pass and no decode step), so that
        // the per-token time of the cached steps is the rest over the tokens after the first
        long promptStart = System.nanoTime();
        generator.generate(prompt, 1).close();
        promptSeconds[i] = (System.nanoTime() - promptStart) / 1e9;
        long start = System.nanoTime();
        NDArray cached = generator.generate(prompt, newTokens);
        long[] cachedIds = cached.toLongArray();
        cachedSeconds[i] = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        NDArray full = uncached(decoder, store, tokens, newTokens);
        long[] fullIds = full.toLongArray();
        uncachedSeconds[i] = (System.nanoTime() - start) / 1e9;
        agree &= Arrays.equals(cachedIds, fullIds);
        cached.close();
        full.close();
      }
      int threads = EngineThreads.current();
      int stepThreads =
          batch == 1 ? Math.min(threads, GreedyGenerator.DEFAULT_SINGLE_ROW_THREADS) : threads;
      double engineThreads = Double.NaN;
      if (stepThreads < threads && newTokens > 1) {
        // A one-row step moves one position through ~400 small operations and the weights
        // through memory once; the generator decodes it with one thread. What the engine's
        // count would do there (a fork and join per product) is measured, not assumed.
        GreedyGenerator allThreads = generator.withSingleRowThreads(0);
        double[] seconds = new double[repeats];
        allThreads.generate(prompt, newTokens).close();
        for (int i = 0; i < repeats; i++) {
          long start = System.nanoTime();
          allThreads.generate(prompt, newTokens).close();
          seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        engineThreads = TrainingBench.median(seconds);
      }
      return new Result(
          batch,
          promptLength,
          newTokens,
          repeats,
          TrainingBench.median(cachedSeconds),
          TrainingBench.median(uncachedSeconds),
          agree,
          TrainingBench.median(promptSeconds),
          threads,
          stepThreads,
          engineThreads);
    }
  }

  /** Greedy generation by full passes: {@code (B, newTokens)} int64 ids. */
  private static NDArray uncached(
      Decoder decoder, ParameterStore store, NDArray prompt, int newTokens) {
    NDManager manager = prompt.getManager();
    long batch = prompt.getShape().get(0);
    NDArray sequence = prompt.toType(DataType.INT64, false);
    long promptLength = prompt.getShape().get(1);
    for (int step = 0; step < newTokens; step++) {
      try (NDScope scope = new NDScope()) {
        NDArray mask = manager.ones(sequence.getShape(), DataType.INT32);
        NDArray logits =
            decoder.decode(store, DecoderInput.text(sequence, mask), null, false).logits();
        NDArray next = logits.get(":, -1, :").argMax(-1).toType(DataType.INT64, false);
        NDArray longer = sequence.concat(next.reshape(batch, 1), 1);
        // keep the grown sequence beyond this step's scope; free the previous one
        scope.suppressNotUsedWarning();
        NDScope.unregister(longer);
        if (step > 0) {
          sequence.close();
        }
        sequence = longer;
      }
    }
    return sequence.get(":, {}:", promptLength);
  }

  /**
   * The two speeds.
   *
   * @param batch rows
   * @param promptLength prompt tokens per row
   * @param newTokens tokens generated per row
   * @param repeats timed runs of each path
   * @param cachedSeconds median wall time with the cache, prompt pass included
   * @param uncachedSeconds median wall time without it
   * @param agree whether both produced the same tokens
   * @param promptSeconds median wall time of the cached path's prompt pass alone
   * @param threads the engine's intra-op threads the figures were taken with
   * @param stepThreads the intra-op threads of the cached decode steps (a one-row generation
   *     decodes with {@link GreedyGenerator#DEFAULT_SINGLE_ROW_THREADS}, the prompt pass with
   *     {@code threads})
   * @param engineThreadsCachedSeconds where {@code stepThreads < threads}, the cached path's median
   *     wall time with its steps at the engine's {@code threads}; NaN otherwise
   */
  record Result(
      int batch,
      int promptLength,
      int newTokens,
      int repeats,
      double cachedSeconds,
      double uncachedSeconds,
      boolean agree,
      double promptSeconds,
      int threads,
      int stepThreads,
      double engineThreadsCachedSeconds) {

    /**
     * Wall time of one cached decode step: the cached run less its prompt pass, over the tokens
     * after the first (which the prompt pass yields); NaN with one new token.
     */
    double perTokenSeconds() {
      return newTokens > 1 ? (cachedSeconds - promptSeconds) / (newTokens - 1) : Double.NaN;
    }

    /** The same step with the engine's threads; NaN when not measured. */
    double engineThreadsPerTokenSeconds() {
      return newTokens > 1
          ? (engineThreadsCachedSeconds - promptSeconds) / (newTokens - 1)
          : Double.NaN;
    }

    /** New tokens per second with the cache. */
    double cachedTokensPerSecond() {
      return batch * (double) newTokens / cachedSeconds;
    }

    /** New tokens per second without it. */
    double uncachedTokensPerSecond() {
      return batch * (double) newTokens / uncachedSeconds;
    }

    /** How many times faster the cache makes generation. */
    double speedup() {
      return uncachedSeconds / cachedSeconds;
    }
  }
}
