package org.mm1lab.core.run;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.ThreadCount;

/**
 * Chooses how many compute threads the engine runs, for the cores actually free.
 *
 * <p>Why. PyTorch splits each operation over its intra-op threads and waits for all of them at its
 * end. A thread that has no core of its own (another process holds it) is descheduled, and every
 * operation then waits for its turn: on a 2-core machine with builds running, encoder pretraining
 * with 2 threads ran at 15-22 images/s and with 1 thread at 207-312 (375-416 idle with 2). So a
 * thread is worth running only on a core that other work leaves free.
 *
 * <p>What wins: an explicit {@code OMP_NUM_THREADS} (a positive whole number, as a job scheduler or
 * {@code mm1 ablate --jobs} sets it), then the environment variable {@code MM1_THREADS}, then the
 * setting {@code mm1.threads}; each is {@code auto} or a number. {@code auto} reads, over {@value
 * #SAMPLE_MILLIS} ms while this process waits, how many cores other processes keep busy ({@link
 * CpuLoad}) and takes the rest, at least one: a core counts as free when other work leaves at least
 * {@value #FREE_SHARE} of it idle.
 */
public final class ThreadPolicy {

  /** The environment variable that overrides {@code mm1.threads}. */
  public static final String ENVIRONMENT = "MM1_THREADS";

  /** How long {@code auto} watches the machine before choosing. */
  static final long SAMPLE_MILLIS = 300;

  /** The idle share of a core from which it counts as free. */
  static final double FREE_SHARE = 0.7;

  private final String setting;
  private final Map<String, String> environment;
  private final int processors;
  private final DoubleSupplier othersBusyCores;

  /**
   * @param setting {@code mm1.threads}: {@code auto} or a whole number
   * @param environment the process's environment
   * @param processors the cores this process may run on
   * @param othersBusyCores measures the cores other work keeps busy now (NaN: unknown)
   */
  public ThreadPolicy(
      String setting,
      Map<String, String> environment,
      int processors,
      DoubleSupplier othersBusyCores) {
    this.setting = setting;
    this.environment = Map.copyOf(environment);
    this.processors = Math.max(1, processors);
    this.othersBusyCores = othersBusyCores;
  }

  /** The policy of a run on this machine, measuring the load from {@code /proc}. */
  public static ThreadPolicy of(RunSettings run) {
    return new ThreadPolicy(
        run.threads(),
        System.getenv(),
        Runtime.getRuntime().availableProcessors(),
        ThreadPolicy::measure);
  }

  /**
   * The threads this policy gives.
   *
   * @throws UserException for a {@code MM1_THREADS} that is neither {@code auto} nor a number
   */
  public Choice choose() {
    OptionalInt omp = ompThreads(environment.get("OMP_NUM_THREADS"));
    if (omp.isPresent()) {
      return new Choice(omp.getAsInt(), "OMP_NUM_THREADS=" + omp.getAsInt());
    }
    String fromEnvironment = environment.get(ENVIRONMENT);
    OptionalInt fixed;
    String source;
    if (fromEnvironment != null) {
      try {
        fixed = ThreadCount.parse(fromEnvironment);
      } catch (IllegalArgumentException e) {
        throw new UserException(
            ENVIRONMENT + "=" + fromEnvironment + " " + ThreadCount.EXPECTED, e);
      }
      source = ENVIRONMENT + "=" + fromEnvironment.strip();
    } else {
      fixed = ThreadCount.parse(setting);
      source = "mm1.threads = " + setting.strip();
    }
    if (fixed.isPresent()) {
      return new Choice(fixed.getAsInt(), source);
    }
    double busy = othersBusyCores.getAsDouble();
    if (Double.isNaN(busy)) {
      return new Choice(processors, source + ": the load cannot be read here, every core");
    }
    return new Choice(
        forFreeCores(processors, busy),
        String.format(
            Locale.ROOT, "%s: %.1f of %d cores busy with other work", source, busy, processors));
  }

  /** Chooses, then sets the engine's threads on the calling thread (the one that computes). */
  public Choice apply() {
    Choice choice = choose();
    EngineThreads.set(choice.threads());
    return choice;
  }

  /** Threads for {@code processors} cores of which other work keeps {@code busy} busy. */
  static int forFreeCores(int processors, double busy) {
    int free = (int) Math.floor(processors - busy + (1 - FREE_SHARE));
    return Math.max(1, Math.min(processors, free));
  }

  /**
   * A positive whole {@code OMP_NUM_THREADS}; anything else OpenMP itself ignores, and so do we.
   */
  private static OptionalInt ompThreads(String value) {
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      int threads = Integer.parseInt(value.strip());
      return threads >= 1 ? OptionalInt.of(threads) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static double measure() {
    try {
      return new CpuLoad().othersBusyCores(SAMPLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /**
   * The threads chosen and why.
   *
   * @param threads intra-op threads
   * @param source which setting decided, and for {@code auto} what it measured
   */
  public record Choice(int threads, String source) {

    /** For a start-up line: {@code 1 compute thread (auto: 1.0 of 2 cores busy ...)}. */
    public String describe() {
      return threads + (threads == 1 ? " compute thread (" : " compute threads (") + source + ")";
    }
  }
}
