package org.mm1lab.core.train;

/**
 * Linear warm-up from 0 to the peak over {@code warmup} steps, then cosine decay to {@code minRatio
 * * peak} at the last step. Steps count from 0.
 */
public final class LearningRateSchedule {

  private final double peak;
  private final int warmup;
  private final int total;
  private final double minRatio;

  /**
   * @param peak the highest learning rate
   * @param warmup warm-up steps (may exceed total: a short run then never reaches the peak)
   * @param total steps of the run
   * @param minRatio the final rate as a fraction of the peak, in [0, 1]
   */
  public LearningRateSchedule(double peak, int warmup, int total, double minRatio) {
    if (!(peak > 0) || warmup < 0 || total < 1 || !(minRatio >= 0 && minRatio <= 1)) {
      throw new IllegalArgumentException(
          "bad schedule: peak "
              + peak
              + ", warmup "
              + warmup
              + ", total "
              + total
              + ", min ratio "
              + minRatio);
    }
    this.peak = peak;
    this.warmup = warmup;
    this.total = total;
    this.minRatio = minRatio;
  }

  /** The learning rate of step {@code step} (0-based). */
  public double at(int step) {
    if (step < warmup) {
      return peak * (step + 1) / warmup;
    }
    int decaySteps = total - warmup;
    if (decaySteps <= 1) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmup) / (decaySteps - 1));
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peak * (minRatio + (1 - minRatio) * cosine);
  }
}
