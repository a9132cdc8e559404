package org.mm1lab.core.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's interactive curves, as data for the page's script: each chart has an x column and
 * named series, and the script draws them with the inlined charting library (drag to zoom,
 * double-click to zoom out, hover for values, a log-scale switch). Loss is shown against steps and
 * against wall-clock time; evaluation scores against the checkpoint's step when the run was
 * evaluated more than once.
 *
 * <p>Every series is drawn plainly; a noisy one also gets a light, wide band along its centred mean
 * ({@link LinePlot#centredMean}), the same smoothing as the PNGs.
 */
final class InteractiveCharts {

  /** A positive series spanning more than this ratio starts on a log axis. */
  private static final double LOG_RATIO = 100;

  /** One series. */
  private record Series(String label, double[] y, Color color, boolean band) {}

  /** One chart. */
  private record Chart(
      String id,
      String title,
      String xLabel,
      String yLabel,
      double[] x,
      List<Series> series,
      boolean log) {}

  private final List<Chart> charts = new ArrayList<>();

  /** The charts of a run's metrics, in page order. */
  static InteractiveCharts of(MetricsLog log) {
    InteractiveCharts c = new InteractiveCharts();
    double[] steps = log.steps();
    c.single("chart-loss", "Training loss", "step", "loss", steps, log.loss(), true);
    double[] elapsed = log.elapsedSeconds();
    if (MetricsLog.anyFinite(elapsed) && MetricsLog.anyFinite(log.loss())) {
      // Wall-clock time can only be an x axis where it is known and increasing.
      List<double[]> kept = increasing(elapsed, log.loss());
      double[] minutes = kept.get(0).clone();
      for (int i = 0; i < minutes.length; i++) {
        minutes[i] /= 60;
      }
      c.add(
          "chart-loss-time",
          "Training loss against wall-clock time",
          "minutes since training started",
          "loss",
          minutes,
          List.of(new Series("loss", kept.get(1), ChartFrame.color(0), true)));
    }
    c.single(
        "chart-lr", "Learning rate", "step", "learning rate", steps, log.learningRate(), false);
    c.single(
        "chart-grad-norm",
        "Gradient norm (before clipping)",
        "step",
        "global L2 norm",
        steps,
        log.gradNorm(),
        true);
    c.single(
        "chart-throughput", "Throughput", "step", "tokens / s", steps, log.tokensPerSecond(), true);
    // mixed precision only: a float32 run logs no loss scale, and gets no such chart
    c.single(
        "chart-loss-scale",
        "Loss scale (fp16-mixed)",
        "step",
        "loss scale",
        steps,
        log.lossScale(),
        false);
    List<Series> aux = new ArrayList<>();
    for (String name : log.auxNames()) {
      aux.add(new Series(name, log.aux(name), ChartFrame.color(aux.size()), true));
    }
    if (!aux.isEmpty()) {
      c.add("chart-aux", "Auxiliary losses", "step", "value", steps, aux);
    }
    return c;
  }

  /** Adds the evaluation scores against the evaluated checkpoints' steps, one series per row. */
  InteractiveCharts evaluations(EvalHistory history) {
    if (history.steps().length < 2) {
      return this;
    }
    List<Series> series = new ArrayList<>();
    for (EvalHistory.Line line : history.lines()) {
      series.add(new Series(line.label(), line.scores(), ChartFrame.color(series.size()), false));
    }
    add(
        "chart-eval",
        "Evaluation scores over checkpoints",
        "step of the evaluated checkpoint",
        "score (CIDEr x 100, accuracies in %)",
        history.steps(),
        series);
    return this;
  }

  private void single(
      String id, String title, String xLabel, String yLabel, double[] x, double[] y, boolean band) {
    if (MetricsLog.anyFinite(y)) {
      add(id, title, xLabel, yLabel, x, List.of(new Series(yLabel, y, ChartFrame.color(0), band)));
    }
  }

  private void add(
      String id, String title, String xLabel, String yLabel, double[] x, List<Series> series) {
    boolean log = !id.equals("chart-lr") && series.stream().allMatch(s -> spansDecades(s.y()));
    charts.add(new Chart(id, title, xLabel, yLabel, x, series, log));
  }

  /** The rows whose x is finite and larger than every x before it. */
  private static List<double[]> increasing(double[] x, double[] y) {
    List<Integer> keep = new ArrayList<>();
    double last = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && x[i] > last) {
        keep.add(i);
        last = x[i];
      }
    }
    double[] kx = new double[keep.size()];
    double[] ky = new double[keep.size()];
    for (int k = 0; k < kx.length; k++) {
      kx[k] = x[keep.get(k)];
      ky[k] = y[keep.get(k)];
    }
    return List.of(kx, ky);
  }

  /** Whether all finite values are positive and span more than {@link #LOG_RATIO}. */
  private static boolean spansDecades(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        if (v <= 0) {
          return false;
        }
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return max / min > LOG_RATIO;
  }

  /** The ids of the charts, in page order: one {@code <div>} each on the page. */
  List<String> ids() {
    return charts.stream().map(Chart::id).toList();
  }

  /** The title of the chart {@code id}. */
  String title(String id) {
    return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().title();
  }

  /** The longest smoothing window any chart uses: for the legend under the charts. */
  int widestWindow() {
    int widest = 1;
    for (Chart c : charts) {
      for (Series s : c.series()) {
        if (s.band()) {
          widest = Math.max(widest, LinePlot.smoothingWindow(s.y().length));
        }
      }
    }
    return widest;
  }

  /**
   * The charts as JSON for the page's script. Gson escapes {@code <}, {@code >} and {@code &}, so
   * the text is safe inside a {@code <script>} element whatever the run's names hold.
   */
  String json() {
    JsonArray array = new JsonArray();
    for (Chart c : charts) {
      JsonObject o = new JsonObject();
      o.addProperty("id", c.id());
      o.addProperty("title", c.title());
      o.addProperty("xLabel", c.xLabel());
      o.addProperty("yLabel", c.yLabel());
      o.addProperty("log", c.log());
      o.add("x", numbers(c.x()));
      JsonArray series = new JsonArray();
      for (Series s : c.series()) {
        int window = s.band() ? LinePlot.smoothingWindow(s.y().length) : 1;
        if (window > 1) {
          JsonObject band = new JsonObject();
          band.addProperty("label", s.label() + ", centred mean of " + window + " points");
          band.addProperty("color", rgba(s.color(), 0.25));
          band.addProperty("width", 6);
          band.add("y", numbers(LinePlot.centredMean(s.y(), window)));
          series.add(band);
        }
        JsonObject line = new JsonObject();
        line.addProperty("label", s.label());
        line.addProperty("color", rgba(s.color(), 1));
        line.addProperty("width", 1.5);
        line.add("y", numbers(s.y()));
        series.add(line);
      }
      o.add("series", series);
      array.add(o);
    }
    return new Gson().toJson(array);
  }

  private static JsonArray numbers(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      // JSON has no NaN; the chart breaks its line at a null.
      a.add(Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE);
    }
    return a;
  }

  private static String rgba(Color c, double alpha) {
    return String.format(
        Locale.ROOT, "rgba(%d,%d,%d,%.2f)", c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }
}
