package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A variant's mean minus the baseline's, with the 95% interval of that difference over seeds.
 *
 * <p>When both have results for the same seeds the runs pair up (a seed fixes the initialisation
 * and the data order of both), and the interval is Student's t on the per-seed differences with
 * {@code n - 1} degrees of freedom: the seed-to-seed noise the two share cancels. Otherwise the
 * groups are independent samples and the interval is Welch's, with the Welch–Satterthwaite degrees
 * of freedom. A side with a single value has no spread, so then there is no interval at all.
 *
 * @param delta the variant's mean minus the baseline's; NaN when either has no value
 * @param se the standard error of {@code delta}; NaN without an interval
 * @param df the degrees of freedom of its t interval; NaN without an interval
 * @param method how the interval was made
 */
public record Difference(double delta, double se, double df, Method method) {

  /** How a difference's interval was made. */
  public enum Method {
    /** Student's t on the per-seed differences. */
    PAIRED,
    /** Welch's unequal-variance t. */
    WELCH,
    /** No interval: a side has a single value (or none). */
    NONE;

    /** The name in the CSV: {@code paired}, {@code welch}, or empty. */
    public String label() {
      return this == NONE ? "" : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The text of an interval that does not exist because a side has one seed. */
  public static final String NO_INTERVAL = "none (1 seed)";

  /** The mark of a difference within noise. */
  public static final String WITHIN_NOISE = "\u2248";

  /**
   * The difference of two variants' values, each keyed by seed (a null key for a run without one).
   *
   * @param variant the variant's values
   * @param baseline the baseline's values
   */
  public static Difference of(Map<Long, Double> variant, Map<Long, Double> baseline) {
    List<Double> v = new ArrayList<>(variant.values());
    List<Double> b = new ArrayList<>(baseline.values());
    double delta = mean(v) - mean(b);
    if (v.size() > 1 && variant.keySet().equals(baseline.keySet())) {
      List<Double> differences = new ArrayList<>();
      variant.forEach((seed, value) -> differences.add(value - baseline.get(seed)));
      double mean = mean(differences);
      double se = Stats.sampleSd(differences, mean) / Math.sqrt(differences.size());
      return new Difference(mean, se, differences.size() - 1, Method.PAIRED);
    }
    if (v.size() > 1 && b.size() > 1) {
      double sv = Stats.sampleSd(v, mean(v));
      double sb = Stats.sampleSd(b, mean(b));
      double av = sv * sv / v.size();
      double ab = sb * sb / b.size();
      double df = (av + ab) * (av + ab) / (av * av / (v.size() - 1) + ab * ab / (b.size() - 1));
      return new Difference(delta, Math.sqrt(av + ab), df, Method.WELCH);
    }
    return new Difference(delta, Double.NaN, Double.NaN, Method.NONE);
  }

  /** Whether there is an interval. */
  public boolean hasInterval() {
    return method != Method.NONE && !Double.isNaN(delta);
  }

  /** Half the width of the 95% interval; NaN without one. */
  public double halfWidth() {
    return hasInterval() ? Stats.halfWidth(se, df) : Double.NaN;
  }

  /** The lower end of the 95% interval; NaN without one. */
  public double low() {
    return delta - halfWidth();
  }

  /** The upper end of the 95% interval; NaN without one. */
  public double high() {
    return delta + halfWidth();
  }

  /** Whether the 95% interval covers 0: the difference cannot be told from seed noise. */
  public boolean withinNoise() {
    return hasInterval() && low() <= 0 && high() >= 0;
  }

  /**
   * {@code +8.0 ± 3.1}, with {@code ≈} appended when within noise; {@code +8.0 (1 seed)} without an
   * interval; a dash without a value.
   */
  public String format() {
    if (Double.isNaN(delta)) {
      return Stats.MISSING;
    }
    if (!hasInterval()) {
      return Stats.delta(delta) + " (1 seed)";
    }
    return Stats.delta(delta) + " \u00b1 " + Stats.number(halfWidth()) + marker();
  }

  /** {@code +8.0}, with {@code ≈} appended when within noise. */
  public String formatDelta() {
    return Stats.delta(delta) + marker();
  }

  /** {@code [-5.1, 21.1] (paired)} or {@code (Welch)}; {@code none (1 seed)} without one. */
  public String interval() {
    if (Double.isNaN(delta)) {
      return Stats.MISSING;
    }
    if (!hasInterval()) {
      return NO_INTERVAL;
    }
    return Stats.bounds(low(), high()) + (method == Method.PAIRED ? " (paired)" : " (Welch)");
  }

  private String marker() {
    return withinNoise() ? " " + WITHIN_NOISE : "";
  }

  private static double mean(List<Double> values) {
    double sum = 0;
    for (double x : values) {
      sum += x;
    }
    return values.isEmpty() ? Double.NaN : sum / values.size();
  }
}
