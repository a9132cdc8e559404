package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Locale;

/**
 * The mean and spread of a score over the seeds of a variant.
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
    double sd = Double.NaN;
    if (n > 1) {
      double squares = 0;
      for (double v : values) {
        squares += (v - mean) * (v - mean);
      }
      sd = Math.sqrt(squares / (n - 1));
    }
    return new Stats(n, mean, sd, min, max);
  }

  /** {@code 53.2}, {@code 53.2 ± 0.4} with several seeds, or a dash without a value. */
  public String format() {
    if (n == 0) {
      return MISSING;
    }
    return n > 1 ? number(mean) + " \u00b1 " + number(sd) : number(mean);
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
