package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Locale;

/**
 * The mean and spread of a score over the seeds of a variant, and the 95% confidence interval of
 * the mean: {@code mean ± t(0.975, n - 1) * sd / sqrt(n)} (Student's t). With one value there is no
 * spread and so no interval; none is made up.
 *
 * @param n how many values (seeds) there are
 * @param mean their mean; NaN when {@code n} is 0
 * @param sd their sample standard deviation (divisor {@code n - 1}); NaN when {@code n < 2}
 * @param min the smallest; NaN when {@code n} is 0
 * @param max the largest; NaN when {@code n} is 0
 */
public record Stats(int n, double mean, double sd, double min, double max) {

  /** The text of a cell with no value. */
  public static final String MISSING = "\u2014";

  /** The confidence level of every interval in the comparison. */
  public static final double LEVEL = 0.95;

  /** The statistics of {@code values}. */
  public static Stats of(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / n;
    return new Stats(n, mean, sampleSd(values, mean), min, max);
  }

  /**
   * The sample standard deviation (divisor {@code n - 1}) of values with this mean; NaN below 2.
   */
  static double sampleSd(List<Double> values, double mean) {
    if (values.size() < 2) {
      return Double.NaN;
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.size() - 1));
  }

  /** The standard error of the mean, {@code sd / sqrt(n)}; NaN when {@code n < 2}. */
  public double se() {
    return n > 1 ? sd / Math.sqrt(n) : Double.NaN;
  }

  /** Whether there is an interval: at least two values. */
  public boolean hasInterval() {
    return n > 1;
  }

  /** Half the width of the 95% interval of the mean, {@code t(0.975, n - 1) * se}; else NaN. */
  public double halfWidth() {
    return halfWidth(se(), n - 1);
  }

  /** The lower end of the 95% interval of the mean; NaN without one. */
  public double low() {
    return mean - halfWidth();
  }

  /** The upper end of the 95% interval of the mean; NaN without one. */
  public double high() {
    return mean + halfWidth();
  }

  /**
   * {@code 53.2}, {@code 53.2 ± 4.1} (the 95% interval's half-width) with several seeds, or a dash
   * without a value.
   */
  public String format() {
    return format("%.1f");
  }

  /** As {@link #format()}, both numbers with {@code pattern}. */
  public String format(String pattern) {
    if (n == 0) {
      return MISSING;
    }
    String m = String.format(Locale.ROOT, pattern, mean);
    return hasInterval() ? m + " \u00b1 " + String.format(Locale.ROOT, pattern, halfWidth()) : m;
  }

  /** {@code [49.1, 57.3]}, the 95% interval with one decimal; {@code none (1 seed)} without one. */
  public String interval() {
    if (n == 0) {
      return MISSING;
    }
    return hasInterval() ? bounds(low(), high()) : Difference.NO_INTERVAL;
  }

  /** Half the width of a 95% t interval; 0 for a zero standard error, NaN for an unknown one. */
  static double halfWidth(double se, double df) {
    if (se == 0) {
      return 0;
    }
    if (Double.isNaN(se) || !(df > 0)) {
      return Double.NaN;
    }
    return StudentT.quantile((1 + LEVEL) / 2, df) * se;
  }

  /** An interval's bounds with one decimal. */
  static String bounds(double low, double high) {
    return "[" + number(low) + ", " + number(high) + "]";
  }

  /** A score with one decimal, as the paper prints them. */
  public static String number(double value) {
    return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%.1f", value);
  }

  /** A difference with its sign, one decimal; a dash when unknown. */
  public static String delta(double value) {
    return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%+.1f", value);
  }
}
