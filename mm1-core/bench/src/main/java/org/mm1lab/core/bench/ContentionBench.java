package org.mm1lab.core.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.mm1lab.core.run.ThreadPolicy;

/**
 * The training step while competing CPU-bound processes run: {@link Contention} starts them, the
 * run's {@link ThreadPolicy} chooses the engine's threads again with them running (as a run started
 * on a busy machine would), and {@link TrainingBench} times the same steps as the idle figures. A
 * competitor that ends early would make the figures partly idle, so that fails the measurement.
 */
final class ContentionBench {

  /** The competitors' deadline over the idle steps' time: room for a thirtyfold slowdown. */
  private static final double DEADLINE_FACTOR = 40;

  /** ... and the seconds added for starting them and settling. */
  private static final double DEADLINE_EXTRA = 120;

  private ContentionBench() {}

  /**
   * Measures.
   *
   * @param run the run, already measured idle
   * @param processes competing processes
   * @param warmup untimed steps first
   * @param steps timed steps
   * @param idleStepSeconds the idle step time, which bounds how long the competitors run
   * @param out progress lines
   * @param terminal whether {@code out} is a terminal
   */
  static Result run(
      BenchRun run,
      int processes,
      int warmup,
      int steps,
      double idleStepSeconds,
      PrintWriter out,
      boolean terminal) {
    double deadline = DEADLINE_EXTRA + DEADLINE_FACTOR * idleStepSeconds * (warmup + steps);
    try (Contention contention = Contention.start(processes, deadline)) {
      double load = LoadAverage.oneMinute();
      ThreadPolicy.Choice threads = ThreadPolicy.of(run.settings).apply();
      out.println(
          String.format(
              Locale.ROOT,
              "contended training: %d competing process%s (pid %s), %d warm-up + %d timed steps;"
                  + " load average %.2f; %s ...",
              processes,
              processes == 1 ? "" : "es",
              contention.pids(),
              warmup,
              steps,
              load,
              threads.describe()));
      out.flush();
      TrainingBench.Result training = TrainingBench.run(run, warmup, steps, 0, out, terminal);
      if (!contention.allAlive()) {
        throw new IllegalStateException(
            "a competing process ended before the contended steps did; the figures would be"
                + " partly idle");
      }
      return new Result(processes, load, threads, training);
    }
  }

  /**
   * The contended figures.
   *
   * @param processes competing processes
   * @param loadBefore the one-minute load average as the contended steps began
   * @param threads the engine's threads the policy chose with the competitors running
   * @param training the timed steps
   */
  record Result(
      int processes,
      double loadBefore,
      ThreadPolicy.Choice threads,
      TrainingBench.Result training) {}
}
