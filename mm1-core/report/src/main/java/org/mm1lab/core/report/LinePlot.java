package org.mm1lab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mm1lab.core.io.AtomicFiles;

/**
 * A line chart rendered to PNG with Java2D: a title, axis labels with round tick values, one or
 * more named series with a legend, an optional logarithmic y axis, and optional smoothing. The
 * logged values are always drawn plainly on top; smoothing adds a wide, light band under them that
 * follows a centred moving average ({@link #centredMean}), which neither lags behind the values nor
 * leaves the last logged value at the end of the curve.
 *
 * <p>Used for training curves in the run report, for {@code mm1 pretrain-encoder}, and for overlaid
 * loss curves of several runs in ablation reports:
 *
 * <pre>{@code
 * new LinePlot("Training loss", "step", "loss")
 *     .series("run-a", stepsA, lossA)
 *     .series("run-b", stepsB, lossB)
 *     .smoothing(LinePlot.smoothingWindow(stepsA.length))
 *     .write(Path.of("loss.png"), 800, 450);
 * }</pre>
 *
 * <p>Non-finite values (and, on a log axis, values that are not positive) cannot be drawn; the line
 * breaks there instead of jumping. A plot with no drawable point says so in the middle.
 */
public final class LinePlot {

  private static final float LINE_WIDTH = 1.6f;
  private static final float SMOOTH_WIDTH = 5f;

  /** Fewer logged points than this are drawn without smoothing: there is no noise to see past. */
  public static final int MIN_POINTS_TO_SMOOTH = 20;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private boolean logY;
  private int smoothing = 1;

  private record Series(String name, double[] x, double[] y) {}

  /**
   * Starts an empty plot.
   *
   * @param title the heading above the plot; empty for none
   * @param xLabel the label under the x axis; empty for none
   * @param yLabel the label beside the y axis; empty for none
   */
  public LinePlot(String title, String xLabel, String yLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
    this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
  }

  /**
   * Adds a named series; series are drawn in the order added, each in its own colour. The arrays
   * are copied.
   *
   * @throws IllegalArgumentException when {@code x} and {@code y} differ in length
   */
  public LinePlot series(String name, double[] x, double[] y) {
    Objects.requireNonNull(name, "name");
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + " has " + x.length + " x values but " + y.length + " y values");
    }
    series.add(new Series(name, x.clone(), y.clone()));
    return this;
  }

  /** Uses a base-10 logarithmic y axis (for losses that fall over orders of magnitude). */
  public LinePlot logY() {
    this.logY = true;
    return this;
  }

  /**
   * Adds under each series a light band along its centred moving average over {@code window} points
   * ({@link #centredMean}); the series itself stays drawn plainly on top.
   *
   * @param window an odd number of points, at least 1; 1 turns smoothing off
   */
  public LinePlot smoothing(int window) {
    if (window < 1 || window % 2 == 0) {
      throw new IllegalArgumentException("a smoothing window is an odd count >= 1, not " + window);
    }
    this.smoothing = window;
    return this;
  }

  /**
   * The smoothing window the report uses for a series of {@code points} logged values: 1 (none)
   * under {@link #MIN_POINTS_TO_SMOOTH} points, else an odd count near a twentieth of them, so the
   * band shows the trend of about a twentieth of the run at each point.
   */
  public static int smoothingWindow(int points) {
    if (points < MIN_POINTS_TO_SMOOTH) {
      return 1;
    }
    int window = Math.max(3, points / 20);
    return window % 2 == 0 ? window + 1 : window;
  }

  /**
   * The centred moving average of {@code values} over {@code window} points: each point is the mean
   * of the finite values within {@code window / 2} places on either side. Near either end the
   * window shrinks to the same number of places on both sides, so the first and last points keep
   * their own value: unlike an exponential average, the curve neither lags behind a falling loss
   * nor claims a trend past the last logged value. Non-finite values stay as they are and are left
   * out of their neighbours' means.
   *
   * @param window an odd count, at least 1
   */
  public static double[] centredMean(double[] values, int window) {
    if (window < 1 || window % 2 == 0) {
      throw new IllegalArgumentException("a smoothing window is an odd count >= 1, not " + window);
    }
    int n = values.length;
    double[] smoothed = new double[n];
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(values[i])) {
        smoothed[i] = values[i];
        continue;
      }
      int half = Math.min(window / 2, Math.min(i, n - 1 - i));
      double sum = 0;
      int count = 0;
      for (int k = i - half; k <= i + half; k++) {
        if (Double.isFinite(values[k])) {
          sum += values[k];
          count++;
        }
      }
      smoothed[i] = sum / count;
    }
    return smoothed;
  }

  /** Renders the plot into a new RGB image of the given size (at least 120 x 120). */
  public BufferedImage render(int width, int height) {
    ChartFrame frame = ChartFrame.create(width, height);
    double[] xr = range(true);
    double[] yr = range(false);
    boolean empty = Double.isNaN(xr[0]) || Double.isNaN(yr[0]);
    Axis xAxis = empty ? Axis.linear(0, 1, 5) : Axis.tight(xr[0], xr[1], targetTicks(width));
    Axis yAxis;
    if (empty) {
      yAxis = Axis.linear(0, 1, 5);
    } else if (logY) {
      yAxis = Axis.logarithmic(yr[0], yr[1]);
    } else {
      yAxis = Axis.linear(yr[0], yr[1], targetTicks(height));
    }

    FontMetrics ticks = frame.g.getFontMetrics(frame.tickFont);
    int left = frame.pad + frame.yLabelWidth(yLabel) + ChartFrame.widest(ticks, yAxis.labels()) + 8;
    int top = frame.titleHeight(title) + frame.pad;
    int bottom =
        frame.pad
            + ticks.getHeight()
            + 8
            + (xLabel.isEmpty() ? 0 : frame.g.getFontMetrics(frame.labelFont).getHeight());
    // Room for half of the last x tick label, which is centred on the right edge.
    String[] xLabels = xAxis.labels();
    int right = frame.pad + ticks.stringWidth(xLabels[xLabels.length - 1]) / 2;
    Rectangle plot = new Rectangle(left, top, width - left - right, height - top - bottom);

    frame.drawTitle(title, plot);
    frame.drawYLabel(yLabel, plot);
    frame.drawXLabel(xLabel, plot);
    frame.drawValueAxis(yAxis, plot);
    frame.drawBottomAxis(xAxis, plot);
    List<ChartFrame.LegendEntry> legend = new ArrayList<>();
    List<Point2D> marks = new ArrayList<>();
    if (empty) {
      frame.drawEmpty(plot, "no data");
    } else {
      frame.g.setClip(plot.x, plot.y, plot.width + 1, plot.height + 1);
      for (int i = 0; i < series.size(); i++) {
        Series s = series.get(i);
        Color color = ChartFrame.color(i);
        legend.add(new ChartFrame.LegendEntry(s.name(), color, LINE_WIDTH));
        if (smoothing > 1) {
          // Under the values, light and wide: the trend is context, the values are the data.
          Color light = ChartFrame.faded(color, 0.75f);
          double[] smooth = centredMean(s.y(), smoothing);
          drawLine(frame, plot, marks, xAxis, yAxis, s.x(), smooth, light, SMOOTH_WIDTH);
          legend.add(
              new ChartFrame.LegendEntry(
                  s.name() + ", centred mean of " + smoothing + " points", light, SMOOTH_WIDTH));
        }
        drawLine(frame, plot, marks, xAxis, yAxis, s.x(), s.y(), color, LINE_WIDTH);
      }
      frame.g.setClip(null);
    }
    frame.drawFrame(plot);
    frame.drawLegend(legend, plot, marks);
    return frame.finish();
  }

  /**
   * Renders the plot and writes it as a PNG, atomically (a temporary file, then a rename).
   *
   * @throws IOException when the file cannot be written
   */
  public void write(Path png, int width, int height) throws IOException {
    AtomicFiles.writePng(png, render(width, height));
  }

  /** About one tick per 70 pixels: dense enough to read values off, sparse enough for labels. */
  private static int targetTicks(int pixels) {
    return Math.max(3, Math.min(12, pixels / 70));
  }

  /** The smallest and largest drawable value over all series, or NaNs when there is none. */
  private double[] range(boolean ofX) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (!drawable(s.x()[i], s.y()[i])) {
          continue;
        }
        double v = ofX ? s.x()[i] : s.y()[i];
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min <= max ? new double[] {min, max} : new double[] {Double.NaN, Double.NaN};
  }

  private boolean drawable(double x, double y) {
    return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
  }

  /** Draws one line, adding its points to {@code marks} so the legend can avoid them. */
  private void drawLine(
      ChartFrame frame,
      Rectangle plot,
      List<Point2D> marks,
      Axis xAxis,
      Axis yAxis,
      double[] x,
      double[] y,
      Color color,
      float lineWidth) {
    Path2D.Double path = new Path2D.Double();
    boolean penDown = false;
    int points = 0;
    double lastX = 0;
    double lastY = 0;
    for (int i = 0; i < x.length; i++) {
      if (!drawable(x[i], y[i])) {
        penDown = false;
        continue;
      }
      double px = plot.x + xAxis.fraction(x[i]) * plot.width;
      double py = plot.y + plot.height - yAxis.fraction(y[i]) * plot.height;
      if (penDown) {
        path.lineTo(px, py);
      } else {
        path.moveTo(px, py);
      }
      penDown = true;
      points++;
      marks.add(new Point2D.Double(px, py));
      lastX = px;
      lastY = py;
    }
    frame.g.setColor(color);
    frame.g.setStroke(new BasicStroke(lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    frame.g.draw(path);
    if (points == 1) {
      // A lone point has no line to draw; a dot keeps it visible.
      double r = lineWidth * 2;
      frame.g.fill(new Ellipse2D.Double(lastX - r, lastY - r, 2 * r, 2 * r));
    }
  }
}
