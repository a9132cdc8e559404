package org.mm1lab.core.io;

import java.util.ArrayDeque;

/**
 * The speed of recent steps, for an estimate of the time left that follows the machine's current
 * load rather than the run's average: steps per second over a moving window of the last {@link
 * #WINDOW_SECONDS} seconds of reports. The window reaches back to the last report at or before its
 * start, so it spans at least those seconds once the work has run that long; when reports come
 * further apart, it is the last interval between two of them. At most {@link #MAX_REPORTS} reports
 * are kept, which bounds the memory when steps are very fast (the window is then the last {@value
 * #MAX_REPORTS} reports).
 *
 * <p>Times are seconds on any clock that does not go back, from the caller: a progress line passes
 * its clock's reading, a listener the elapsed time it is told. Not thread-safe.
 */
public final class RecentSpeed {

  /** The window's length in seconds. */
  public static final double WINDOW_SECONDS = 30;

  /** The most reports kept. */
  public static final int MAX_REPORTS = 256;

  private final double windowSeconds;
  private final ArrayDeque<double[]> reports = new ArrayDeque<>();

  /**
   * A window of {@link #WINDOW_SECONDS}.
   *
   * @param firstStep the step work starts after (0, or a resumed run's step)
   * @param startSeconds the time it starts at
   */
  public RecentSpeed(int firstStep, double startSeconds) {
    this(firstStep, startSeconds, WINDOW_SECONDS);
  }

  /**
   * @param firstStep the step work starts after (0, or a resumed run's step)
   * @param startSeconds the time it starts at
   * @param windowSeconds the window's length, above 0
   */
  public RecentSpeed(int firstStep, double startSeconds, double windowSeconds) {
    if (!(windowSeconds > 0)) {
      throw new IllegalArgumentException("windowSeconds must be above 0, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
    reports.add(new double[] {firstStep, startSeconds});
  }

  /**
   * Records that {@code step} finished at {@code seconds}.
   *
   * @param step the step, counting from the same origin as {@code firstStep}
   * @param seconds the time, no earlier than the last one recorded
   */
  public void record(int step, double seconds) {
    reports.addLast(new double[] {step, seconds});
    double windowStart = seconds - windowSeconds;
    // keep the newest report at or before the window's start: it anchors the window
    while (reports.size() > 2 && second()[1] <= windowStart) {
      reports.removeFirst();
    }
    while (reports.size() > MAX_REPORTS) {
      reports.removeFirst();
    }
  }

  private double[] second() {
    var iterator = reports.iterator();
    iterator.next();
    return iterator.next();
  }

  /** Steps per second over the window; NaN before the first report or when no time has passed. */
  public double stepsPerSecond() {
    double[] first = reports.getFirst();
    double[] last = reports.getLast();
    double seconds = last[1] - first[1];
    double steps = last[0] - first[0];
    return reports.size() < 2 || seconds <= 0 ? Double.NaN : steps / seconds;
  }

  /**
   * The seconds left until {@code total} at the window's speed; NaN when it is not known yet, 0
   * once the work is done.
   */
  public double secondsLeft(int total) {
    double left = total - reports.getLast()[0];
    if (left <= 0) {
      return 0;
    }
    double speed = stepsPerSecond();
    return speed > 0 ? left / speed : Double.NaN;
  }
}
