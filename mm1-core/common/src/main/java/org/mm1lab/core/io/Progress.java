package org.mm1lab.core.io;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how long work is going: on a terminal one line redrawn in place (a bar with the step, loss,
 * learning rate, throughput, elapsed time and ETA); otherwise plain lines every {@code every}
 * steps, which read well in a log file or CI output. The ETA comes from the speed of the last steps
 * ({@link RecentSpeed}: the last 30 seconds), so it follows a change of the machine's load.
 *
 * <p>This is user-facing progress, written to the writer the caller hands in (standard output on
 * the command line), never logged: diagnostics go through SLF4J loggers in the classes that find
 * them, and the application decides where those go.
 */
public final class Progress {

  private static final int BAR = 24;

  private final PrintWriter out;
  private final boolean terminal;
  private final int every;
  private final String label;
  private final int total;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final int firstStep;
  private final RecentSpeed speed;
  private boolean drawn;

  /**
   * @param out where to draw
   * @param terminal whether {@code out} is an interactive terminal
   * @param label what is progressing, e.g. {@code train}
   * @param firstStep the step work starts after (for a resumed run's ETA)
   * @param total the last step
   * @param every steps between plain lines
   */
  public Progress(
      PrintWriter out, boolean terminal, String label, int firstStep, int total, int every) {
    this(out, terminal, label, firstStep, total, every, System::nanoTime);
  }

  /** On a given clock of nanoseconds, for tests. */
  Progress(
      PrintWriter out,
      boolean terminal,
      String label,
      int firstStep,
      int total,
      int every,
      LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.firstStep = firstStep;
    this.total = total;
    this.every = Math.max(1, every);
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.speed = new RecentSpeed(firstStep, 0);
  }

  /** Whether the JVM's standard output is an interactive terminal. */
  public static boolean stdoutIsTerminal() {
    return System.getenv("MM1_PLAIN_PROGRESS") == null && consoleIsTerminal();
  }

  /**
   * Up to JDK 21 {@link System#console()} is null unless both standard streams are a terminal; from
   * JDK 22 on it is never null and {@code Console.isTerminal()} (absent before 22) tells.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked where it exists
  private static boolean consoleIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17-21: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /**
   * Reports a finished step.
   *
   * @param step the step just finished (1-based)
   * @param loss its loss
   * @param rate throughput in {@code unit} per second
   * @param unit what is counted, e.g. {@code tok/s}
   */
  public void step(int step, double loss, double rate, String unit) {
    step(step, loss, Double.NaN, rate, unit);
  }

  /**
   * Reports a finished step with its learning rate.
   *
   * @param step the step just finished (1-based)
   * @param loss its loss
   * @param learningRate its learning rate, or NaN to leave it out
   * @param rate throughput in {@code unit} per second
   * @param unit what is counted, e.g. {@code tok/s}
   */
  public void step(int step, double loss, double learningRate, double rate, String unit) {
    double elapsed = (nanoTime.getAsLong() - startNanos) / 1e9;
    speed.record(step, elapsed);
    String figures =
        String.format(
            Locale.ROOT,
            "%s %d/%d  loss %.4f%s  %.0f %s  elapsed %s  eta %s",
            label,
            step,
            total,
            loss,
            Double.isNaN(learningRate) ? "" : String.format(Locale.ROOT, "  lr %.1e", learningRate),
            rate,
            unit,
            duration(elapsed),
            duration(speed.secondsLeft(total)));
    if (terminal) {
      int filled = (int) Math.round(BAR * (double) step / total);
      out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + figures + "   ");
      out.flush();
      drawn = true;
    } else if (step % every == 0 || step == total || step == firstStep + 1) {
      out.println(figures);
      out.flush();
    }
  }

  /** Ends the bar's line before other output. */
  public void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }

  /**
   * A duration as progress lines show it: {@code 1h02m}, {@code 3m05s} or {@code 12s}; {@code ?}
   * when not known (NaN or infinite). Shared by every command that reports times.
   */
  public static String duration(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
