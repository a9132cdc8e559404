package org.mm1lab.core.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.layout.RunLayout.Report;

/**
 * Draws the training curves of a run into the report folder, one PNG per metric it logged, and the
 * loss against wall-clock time as well as against steps.
 */
final class ReportPlots {

  /** One written plot: its file name inside the report folder and what it shows. */
  record Plot(String fileName, String title) {}

  /** A positive series spanning more than this ratio is drawn on a log axis. */
  private static final double LOG_RATIO = 100;

  /**
   * One single-series curve: smoothed when noisy per step, on a log axis when it may fall over
   * orders of magnitude (not the learning rate, whose warm-up would look distorted).
   */
  private record Curve(
      String fileName,
      String title,
      String yLabel,
      double[] values,
      boolean smooth,
      boolean logWhenWide) {}

  private ReportPlots() {}

  /** Writes the plots for every metric with at least one finite value; returns them in order. */
  static List<Plot> write(MetricsLog log, Path reportDir, int width, int height)
      throws IOException {
    List<Plot> plots = new ArrayList<>();
    double[] steps = log.steps();
    List<Curve> curves =
        List.of(
            new Curve(Report.LOSS_PLOT, "Training loss", "loss", log.loss(), true, true),
            new Curve(
                Report.LR_PLOT, "Learning rate", "learning rate", log.learningRate(), false, false),
            new Curve(
                Report.GRAD_NORM_PLOT,
                "Gradient norm (before clipping)",
                "global L2 norm",
                log.gradNorm(),
                true,
                true),
            new Curve(
                Report.LOSS_SCALE_PLOT,
                "Loss scale (fp16-mixed)",
                "loss scale",
                log.lossScale(),
                false,
                true),
            new Curve(
                Report.THROUGHPUT_PLOT,
                "Throughput",
                "tokens / s",
                log.tokensPerSecond(),
                true,
                false));
    for (Curve c : curves) {
      if (!MetricsLog.anyFinite(c.values())) {
        continue;
      }
      LinePlot plot =
          new LinePlot(c.title(), "step", c.yLabel()).series(c.yLabel(), steps, c.values());
      if (c.smooth()) {
        plot.smoothing(LinePlot.smoothingWindow(steps.length));
      }
      if (c.logWhenWide() && spansDecades(c.values())) {
        plot.logY();
      }
      plot.write(reportDir.resolve(c.fileName()), width, height);
      plots.add(new Plot(c.fileName(), c.title()));
    }
    double[] minutes = log.elapsedSeconds();
    for (int i = 0; i < minutes.length; i++) {
      minutes[i] /= 60;
    }
    if (MetricsLog.anyFinite(minutes) && MetricsLog.anyFinite(log.loss())) {
      LinePlot plot =
          new LinePlot(
                  "Training loss against wall-clock time", "minutes since training started", "loss")
              .series("loss", minutes, log.loss())
              .smoothing(LinePlot.smoothingWindow(minutes.length));
      if (spansDecades(log.loss())) {
        plot.logY();
      }
      plot.write(reportDir.resolve(Report.LOSS_TIME_PLOT), width, height);
      plots.add(1, new Plot(Report.LOSS_TIME_PLOT, "Training loss against wall-clock time"));
    }
    if (!log.auxNames().isEmpty()) {
      LinePlot plot = new LinePlot("Auxiliary losses", "step", "value");
      boolean allPositive = true;
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (String name : log.auxNames()) {
        double[] values = log.aux(name);
        plot.series(name, steps, values);
        for (double v : values) {
          if (Double.isFinite(v)) {
            allPositive &= v > 0;
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      // Auxiliary losses differ in size (load balance vs router z-loss); a tenfold gap is enough
      // to flatten the smaller one on a linear axis.
      if (allPositive && max / min > 10) {
        plot.logY();
      }
      plot.smoothing(LinePlot.smoothingWindow(steps.length));
      plot.write(reportDir.resolve(Report.AUX_PLOT), width, height);
      plots.add(new Plot(Report.AUX_PLOT, "Auxiliary losses"));
    }
    return plots;
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
}
