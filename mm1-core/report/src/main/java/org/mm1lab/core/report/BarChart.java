package org.mm1lab.core.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Rectangle;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mm1lab.core.io.AtomicFiles;

/**
 * A grouped bar chart rendered to PNG with Java2D: one group per category along the x axis, one bar
 * per series in each group, each bar labelled with its value, and a legend naming the series. Meant
 * for ablations (categories = benchmarks, series = runs):
 *
 * <pre>{@code
 * new BarChart("0-shot scores", "score")
 *     .categories("caption", "vqa")
 *     .series("baseline", new double[] {53.2, 41.0})
 *     .series("bigger encoder", new double[] {57.9, 44.5})
 *     .write(Path.of("ablation.png"), 800, 450);
 * }</pre>
 *
 * <p>A NaN value leaves its bar out (a run that has no score for that category). A series may carry
 * an interval per bar, drawn as an error bar (a vertical line with caps) from its low to its high
 * end; a NaN bound leaves that bar without one.
 */
public final class BarChart {

  private final String title;
  private final String yLabel;
  private final List<String> categories = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();
  private final List<double[]> lows = new ArrayList<>();
  private final List<double[]> highs = new ArrayList<>();
  private String valueFormat = "%.1f";

  /** Error bars in near-black, visible on every palette colour. */
  static final Color ERROR_BAR = new Color(0x111111);

  /**
   * Starts an empty chart.
   *
   * @param title the heading above the chart; empty for none
   * @param yLabel the label beside the value axis; empty for none
   */
  public BarChart(String title, String yLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
  }

  /** Sets the categories, the groups along the x axis, in order; must come before any series. */
  public BarChart categories(String... names) {
    if (!values.isEmpty()) {
      throw new IllegalStateException("set the categories before adding series");
    }
    categories.clear();
    categories.addAll(List.of(names));
    return this;
  }

  /**
   * Adds a series: one value per category, in the order of {@link #categories}. The array is
   * copied.
   *
   * @throws IllegalArgumentException when the number of values is not the number of categories
   */
  public BarChart series(String name, double[] seriesValues) {
    double[] none = new double[seriesValues.length];
    java.util.Arrays.fill(none, Double.NaN);
    return series(name, seriesValues, none, none);
  }

  /**
   * Adds a series with an interval per bar, drawn as error bars: one value and one low and high end
   * per category, in the order of {@link #categories}. The arrays are copied.
   *
   * @throws IllegalArgumentException when an array's length is not the number of categories
   */
  public BarChart series(String name, double[] seriesValues, double[] low, double[] high) {
    Objects.requireNonNull(name, "name");
    for (double[] array : List.of(seriesValues, low, high)) {
      if (array.length != categories.size()) {
        throw new IllegalArgumentException(
            "series "
                + name
                + " has "
                + array.length
                + " values for "
                + categories.size()
                + " categories");
      }
    }
    names.add(name);
    values.add(seriesValues.clone());
    lows.add(low.clone());
    highs.add(high.clone());
    return this;
  }

  /**
   * The {@link String#format} pattern for the value printed on each bar; {@code "%.1f"} unless set.
   */
  public BarChart valueFormat(String format) {
    String unused =
        String.format(Locale.ROOT, format, 1.0); // fails now, not at render time, on a bad pattern
    this.valueFormat = format;
    return this;
  }

  /** Renders the chart into a new RGB image of the given size (at least 120 x 120). */
  public BufferedImage render(int width, int height) {
    ChartFrame frame = ChartFrame.create(width, height);
    double min = 0;
    double max = 0;
    boolean any = false;
    for (int s = 0; s < values.size(); s++) {
      for (int c = 0; c < categories.size(); c++) {
        double v = values.get(s)[c];
        if (Double.isFinite(v)) {
          any = true;
          // The error bars must fit as well as the bars.
          for (double end : new double[] {v, lows.get(s)[c], highs.get(s)[c]}) {
            if (Double.isFinite(end)) {
              min = Math.min(min, end);
              max = Math.max(max, end);
            }
          }
        }
      }
    }
    if (max == min) {
      max = min + 1;
    }
    // Headroom so the value labels on the tallest bars stay inside the plot.
    double span = max - min;
    Axis axis =
        Axis.linear(
            min < 0 ? min - span * 0.08 : 0, max > 0 ? max + span * 0.08 : 0, targetTicks(height));

    FontMetrics ticks = frame.g.getFontMetrics(frame.tickFont);
    int left = frame.pad + frame.yLabelWidth(yLabel) + ChartFrame.widest(ticks, axis.labels()) + 8;
    int top = frame.titleHeight(title) + frame.pad;
    int bottom = frame.pad + ticks.getHeight() + 8;
    Rectangle plot = new Rectangle(left, top, width - left - frame.pad * 2, height - top - bottom);

    frame.drawTitle(title, plot);
    frame.drawYLabel(yLabel, plot);
    frame.drawValueAxis(axis, plot);
    List<Point2D> marks = new ArrayList<>();
    if (!any || categories.isEmpty()) {
      frame.drawEmpty(plot, "no data");
    } else {
      drawBars(frame, plot, axis, marks);
    }
    frame.drawFrame(plot);
    List<ChartFrame.LegendEntry> legend = new ArrayList<>();
    for (int s = 0; s < names.size(); s++) {
      legend.add(new ChartFrame.LegendEntry(names.get(s), ChartFrame.color(s), 8f));
    }
    frame.drawLegend(legend, plot, marks);
    return frame.finish();
  }

  /**
   * Renders the chart and writes it as a PNG, atomically (a temporary file, then a rename).
   *
   * @throws IOException when the file cannot be written
   */
  public void write(Path png, int width, int height) throws IOException {
    AtomicFiles.writePng(png, render(width, height));
  }

  /** About one tick per 70 pixels, as in {@link LinePlot}. */
  private static int targetTicks(int pixels) {
    return Math.max(3, Math.min(12, pixels / 70));
  }

  /** Draws the bars and their labels, adding the pixels they cover to {@code marks}. */
  private void drawBars(ChartFrame frame, Rectangle plot, Axis axis, List<Point2D> marks) {
    FontMetrics fm = frame.g.getFontMetrics(frame.tickFont);
    frame.g.setFont(frame.tickFont);
    double groupWidth = (double) plot.width / categories.size();
    // A fifth of each group is the gap between groups.
    double barWidth = groupWidth * 0.8 / Math.max(1, names.size());
    int zero = plot.y + plot.height - (int) Math.round(axis.fraction(0) * plot.height);
    for (int c = 0; c < categories.size(); c++) {
      double groupLeft = plot.x + c * groupWidth + groupWidth * 0.1;
      for (int s = 0; s < names.size(); s++) {
        double v = values.get(s)[c];
        if (!Double.isFinite(v)) {
          continue;
        }
        int x0 = (int) Math.round(groupLeft + s * barWidth);
        int x1 = (int) Math.round(groupLeft + (s + 1) * barWidth);
        int y = plot.y + plot.height - (int) Math.round(axis.fraction(v) * plot.height);
        Color color = ChartFrame.color(s);
        frame.g.setColor(color);
        frame.g.fillRect(x0, Math.min(y, zero), Math.max(1, x1 - x0 - 1), Math.abs(zero - y));
        int[] whisker =
            errorBar(
                frame, plot, axis, s, c, (x0 + x1) / 2, Math.min(8, Math.max(2, (x1 - x0) / 4)));
        // The label sits beyond the error bar's end, so neither hides the other.
        int outer = v >= 0 ? Math.min(y, whisker[0]) : Math.max(y, whisker[1]);
        // A grid of marks over the bar and its label, so the legend does not hide either.
        int labelTop = v >= 0 ? outer - fm.getHeight() : zero;
        int barBottom = v >= 0 ? zero : outer + fm.getHeight();
        for (int my = labelTop; my <= barBottom; my += 4) {
          for (int mx = x0; mx <= x1; mx += 4) {
            marks.add(new Point2D.Double(mx, my));
          }
        }
        String label = String.format(Locale.ROOT, valueFormat, v);
        int labelX = (x0 + x1) / 2 - fm.stringWidth(label) / 2;
        int labelY = v >= 0 ? outer - 3 : outer + fm.getAscent() + 2;
        frame.g.setColor(Color.DARK_GRAY);
        frame.g.drawString(label, labelX, labelY);
      }
      String category = fit(categories.get(c), fm, (int) groupWidth - 4);
      int centre = (int) Math.round(plot.x + (c + 0.5) * groupWidth);
      frame.g.setColor(Color.DARK_GRAY);
      frame.g.drawString(
          category,
          centre - fm.stringWidth(category) / 2,
          plot.y + plot.height + 6 + fm.getAscent());
    }
  }

  /**
   * Draws the error bar of series {@code s} in category {@code c}, if it has one, centred at {@code
   * x} with caps {@code 2 * halfCap} wide.
   *
   * @return the outermost pixel rows it covers, top and bottom; the bar's own end twice when it has
   *     none
   */
  private int[] errorBar(
      ChartFrame frame, Rectangle plot, Axis axis, int s, int c, int x, int halfCap) {
    double low = lows.get(s)[c];
    double high = highs.get(s)[c];
    int y = row(plot, axis, values.get(s)[c]);
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      return new int[] {y, y};
    }
    int top = row(plot, axis, Math.max(low, high));
    int bottom = row(plot, axis, Math.min(low, high));
    // Filled rectangles on whole pixels stay crisp under antialiasing, unlike one-pixel lines.
    frame.g.setColor(ERROR_BAR);
    frame.g.fillRect(x - 1, top, 2, bottom - top + 1);
    frame.g.fillRect(x - halfCap, top - 1, 2 * halfCap + 1, 2);
    frame.g.fillRect(x - halfCap, bottom, 2 * halfCap + 1, 2);
    return new int[] {top - 1, bottom + 1};
  }

  /** The pixel row of a value. */
  private static int row(Rectangle plot, Axis axis, double value) {
    return plot.y + plot.height - (int) Math.round(axis.fraction(value) * plot.height);
  }

  /** {@code text}, cut short with an ellipsis when wider than {@code width} pixels. */
  private static String fit(String text, FontMetrics fm, int width) {
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && fm.stringWidth(cut + "\u2026") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "\u2026";
  }
}
