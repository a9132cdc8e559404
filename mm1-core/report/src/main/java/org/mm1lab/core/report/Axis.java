package org.mm1lab.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart axis: a range widened to round numbers, the tick values inside it, their labels, and
 * the mapping of data values to a fraction of the axis length. Linear axes use the "nice numbers"
 * steps 1, 2, 5 x 10^k; logarithmic axes put ticks on powers of ten.
 */
final class Axis {

  private final boolean log;
  private final double low;
  private final double high;
  private final double[] ticks;
  private final String[] labels;

  private Axis(boolean log, double low, double high, double[] ticks, String[] labels) {
    this.log = log;
    this.low = low;
    this.high = high;
    this.ticks = ticks;
    this.labels = labels;
  }

  /**
   * A linear axis covering {@code [min, max]} with about {@code targetTicks} ticks, widened to the
   * nearest ticks outside the data (for value axes: the data never touches the frame).
   *
   * @param min the smallest finite data value
   * @param max the largest finite data value
   */
  static Axis linear(double min, double max, int targetTicks) {
    return linear(min, max, targetTicks, false);
  }

  /**
   * A linear axis that ends exactly at {@code min} and {@code max}, with round ticks inside (for
   * steps: a run of 201 steps should not leave a quarter of the plot empty up to 250).
   */
  static Axis tight(double min, double max, int targetTicks) {
    return linear(min, max, targetTicks, true);
  }

  private static Axis linear(double min, double max, int targetTicks, boolean tight) {
    if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("bad axis range [" + min + ", " + max + "]");
    }
    if (min == max) {
      // A flat series still needs a visible range around its value.
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double step = niceStep((max - min) / Math.max(1, targetTicks - 1));
    double first = tight ? Math.ceil(min / step - 1e-9) * step : Math.floor(min / step) * step;
    double last = tight ? Math.floor(max / step + 1e-9) * step : Math.ceil(max / step) * step;
    int count = (int) Math.round((last - first) / step) + 1;
    if (count < 2) {
      // A narrow range can fall between two round steps; then widen it to show two ticks.
      return linear(min, max, targetTicks, false);
    }
    double[] ticks = new double[count];
    for (int i = 0; i < count; i++) {
      // Multiplying (not accumulating) keeps 0.1 + 0.1 + 0.1 drift out of the labels.
      ticks[i] = first + i * step;
      if (Math.abs(ticks[i]) < step * 1e-9) {
        ticks[i] = 0;
      }
    }
    double low = tight ? min : first;
    double high = tight ? max : last;
    return new Axis(false, low, high, ticks, linearLabels(ticks, step));
  }

  /**
   * A base-10 logarithmic axis covering {@code [min, max]}, both of which must be positive. Ticks
   * lie on powers of ten, and also on 2 and 5 times them when the range spans few decades.
   */
  static Axis logarithmic(double min, double max) {
    if (!(min > 0 && min <= max) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("bad logarithmic axis range [" + min + ", " + max + "]");
    }
    int lowExp = (int) Math.floor(Math.log10(min));
    int highExp = (int) Math.ceil(Math.log10(max));
    if (highExp == lowExp) {
      highExp++;
    }
    boolean fine = highExp - lowExp <= 2;
    List<Double> values = new ArrayList<>();
    for (int e = lowExp; e <= highExp; e++) {
      double decade = Math.pow(10, e);
      values.add(decade);
      if (fine && e < highExp) {
        values.add(2 * decade);
        values.add(5 * decade);
      }
    }
    double[] ticks = values.stream().mapToDouble(Double::doubleValue).toArray();
    String[] labels = new String[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      labels[i] = logLabel(ticks[i]);
    }
    return new Axis(true, ticks[0], ticks[ticks.length - 1], ticks, labels);
  }

  /** Where {@code value} lies on the axis: 0 at the low end, 1 at the high end. */
  double fraction(double value) {
    if (log) {
      return (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    }
    return (value - low) / (high - low);
  }

  /** Whether the value can be drawn on this axis at all (log axes cannot show values <= 0). */
  boolean canShow(double value) {
    return Double.isFinite(value) && (!log || value > 0);
  }

  double low() {
    return low;
  }

  double high() {
    return high;
  }

  double[] ticks() {
    return ticks.clone();
  }

  String[] labels() {
    return labels.clone();
  }

  /** The 1, 2, 5 x 10^k value nearest above {@code rough}. */
  static double niceStep(double rough) {
    double exponent = Math.floor(Math.log10(rough));
    double power = Math.pow(10, exponent);
    double fraction = rough / power;
    double nice;
    if (fraction <= 1) {
      nice = 1;
    } else if (fraction <= 2) {
      nice = 2;
    } else if (fraction <= 5) {
      nice = 5;
    } else {
      nice = 10;
    }
    return nice * power;
  }

  /** Labels with just enough digits to tell neighbouring ticks apart. */
  private static String[] linearLabels(double[] ticks, double step) {
    double largest = 0;
    for (double t : ticks) {
      largest = Math.max(largest, Math.abs(t));
    }
    String[] labels = new String[ticks.length];
    boolean scientific = largest >= 1e6 || step < 1e-3;
    for (int i = 0; i < ticks.length; i++) {
      if (scientific) {
        int magnitude = ticks[i] == 0 ? 0 : (int) Math.floor(Math.log10(Math.abs(ticks[i])));
        int digits = Math.max(0, magnitude - (int) Math.floor(Math.log10(step) + 1e-9));
        String text = String.format(Locale.ROOT, "%." + digits + "e", ticks[i]);
        labels[i] = ticks[i] == 0 ? "0" : compactExponent(text);
      } else {
        int decimals = Math.max(0, -(int) Math.floor(Math.log10(step) + 1e-9));
        labels[i] = String.format(Locale.ROOT, "%." + decimals + "f", ticks[i]);
      }
    }
    return labels;
  }

  private static String logLabel(double value) {
    if (value >= 0.01 && value < 1e5) {
      // Plain numbers read faster where they stay short.
      String plain = String.format(Locale.ROOT, "%.2f", value);
      return plain.replaceAll("\\.?0+$", "");
    }
    return compactExponent(String.format(Locale.ROOT, "%.0e", value));
  }

  /** "1.5e-05" becomes "1.5e-5", "1.0e-03" becomes "1e-3", "2e+06" becomes "2e6". */
  static String compactExponent(String formatted) {
    return formatted
        .replaceAll("(\\.\\d*?)0+e", "$1e")
        .replaceAll("\\.e", "e")
        .replaceAll("e\\+?(-?)0*(\\d)", "e$1$2");
  }
}
