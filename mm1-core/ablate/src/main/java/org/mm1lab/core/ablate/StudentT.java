package org.mm1lab.core.ablate;

/**
 * Quantiles of Student's t distribution, for confidence intervals over a handful of seeds.
 *
 * <p>Computed rather than tabulated because Welch's degrees of freedom are fractional. The upper
 * tail is the regularized incomplete beta function, {@code P(T > t) = I_x(df/2, 1/2) / 2} with
 * {@code x = df / (df + t^2)}, evaluated with Lentz's continued fraction; the quantile solves that
 * tail for {@code t} by Newton's method kept inside a bracket by bisection. Infinite degrees of
 * freedom give the standard normal, whose tail is the regularized upper incomplete gamma function
 * {@code Q(1/2, z^2/2) / 2}. Both agree with published tables to at least 9 significant digits.
 */
public final class StudentT {

  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;
  private static final int MAX_ITERATIONS = 100_000;

  /** Lanczos's coefficients for g = 7, n = 9: about 15 significant digits of log-gamma. */
  private static final double[] LANCZOS = {
    0.9999999999998099,
    676.5203681218851,
    -1259.1392167224028,
    771.3234287776531,
    -176.6150291621406,
    12.507343278686905,
    -0.13857109526572012,
    9.984369578019572e-6,
    1.5056327351493116e-7
  };

  private StudentT() {}

  /**
   * The {@code p}-quantile: the {@code t} with {@code P(T <= t) = p}.
   *
   * @param p a probability strictly between 0 and 1
   * @param df the degrees of freedom, above 0; {@link Double#POSITIVE_INFINITY} for the normal
   * @throws IllegalArgumentException for a {@code p} or {@code df} outside those ranges
   */
  public static double quantile(double p, double df) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("a quantile needs 0 < p < 1, not " + p);
    }
    if (!(df > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, not " + df);
    }
    if (p == 0.5) {
      return 0;
    }
    double tail = p > 0.5 ? 1 - p : p;
    double t = upperQuantile(tail, df);
    return p > 0.5 ? t : -t;
  }

  /**
   * {@code P(T > t)}, the upper tail at {@code t}.
   *
   * @param t any value
   * @param df the degrees of freedom, above 0; {@link Double#POSITIVE_INFINITY} for the normal
   */
  public static double upperTail(double t, double df) {
    if (t < 0) {
      return 1 - upperTail(-t, df);
    }
    if (Double.isInfinite(df)) {
      return 0.5 * upperGamma(0.5, t * t / 2);
    }
    return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  }

  /** The {@code t >= 0} whose upper tail is {@code tail}, {@code 0 < tail < 1/2}. */
  private static double upperQuantile(double tail, double df) {
    double lo = 0;
    double hi = 1;
    while (upperTail(hi, df) > tail) {
      lo = hi;
      hi *= 2;
      if (Double.isInfinite(hi)) {
        return hi;
      }
    }
    double t = (lo + hi) / 2;
    for (int i = 0; i < 200; i++) {
      double f = upperTail(t, df) - tail;
      if (f > 0) {
        lo = t;
      } else {
        hi = t;
      }
      // The tail falls with t: its derivative is minus the density.
      double next = t + f / density(t, df);
      if (!(next > lo && next < hi)) {
        next = (lo + hi) / 2;
      }
      if (Math.abs(next - t) <= 1e-15 * Math.max(1, t)) {
        return next;
      }
      t = next;
    }
    return t;
  }

  /** The density of Student's t at {@code t}. */
  private static double density(double t, double df) {
    if (Double.isInfinite(df)) {
      return Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    }
    double log =
        logGamma((df + 1) / 2)
            - logGamma(df / 2)
            - 0.5 * Math.log(df * Math.PI)
            - (df + 1) / 2 * Math.log1p(t * t / df);
    return Math.exp(log);
  }

  /** The regularized incomplete beta function {@code I_x(a, b)}. */
  static double incompleteBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front =
        Math.exp(
            logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    // The continued fraction converges fast below the mean of the distribution; above it, use
    // the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaFraction(x, a, b) / a;
    }
    return 1 - front * betaFraction(1 - x, b, a) / b;
  }

  /** The continued fraction of the incomplete beta function, by the modified Lentz method. */
  private static double betaFraction(double x, double a, double b) {
    double c = 1;
    double d = nonZero(1 - (a + b) * x / (a + 1));
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_ITERATIONS; m++) {
      int m2 = 2 * m;
      double even = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
      d = 1 / nonZero(1 + even * d);
      c = nonZero(1 + even / c);
      h *= d * c;
      double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
      d = 1 / nonZero(1 + odd * d);
      c = nonZero(1 + odd / c);
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < EPSILON) {
        return h;
      }
    }
    throw new ArithmeticException("incomplete beta did not converge for a=" + a + ", b=" + b);
  }

  /** The regularized upper incomplete gamma function {@code Q(a, x)}. */
  static double upperGamma(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    double front = Math.exp(-x + a * Math.log(x) - logGamma(a));
    if (x < a + 1) {
      // The series of the lower function converges fast here.
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n <= MAX_ITERATIONS; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPSILON) {
          return 1 - front * sum;
        }
      }
      throw new ArithmeticException("incomplete gamma did not converge for a=" + a);
    }
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i <= MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = 1 / nonZero(an * d + b);
      c = nonZero(b + an / c);
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < EPSILON) {
        return front * h;
      }
    }
    throw new ArithmeticException("incomplete gamma did not converge for a=" + a);
  }

  /** The natural logarithm of the gamma function, for {@code x > 0}. */
  static double logGamma(double x) {
    if (x < 0.5) {
      // Reflection keeps the Lanczos sum in the range where it is accurate.
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  private static double nonZero(double value) {
    return Math.abs(value) < TINY ? TINY : value;
  }
}
