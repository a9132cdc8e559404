package org.mm1lab.core.report;

import java.util.List;
import java.util.Locale;
import org.mm1lab.core.layout.RunLayout;

/**
 * Everything the report pages show, gathered once so that the HTML page and the Markdown summary
 * cannot disagree.
 *
 * @param runName the run's name
 * @param runDir the run directory as given
 * @param config the text of {@code run.conf}; {@code null} when missing
 * @param metrics the training metrics; {@code null} when {@code metrics.jsonl} is missing
 * @param plots the plots written into the report folder
 * @param eval the evaluation scores; {@code null} when evaluation has not run
 * @param examples the evaluation examples with their copied images (empty when none)
 * @param notes things the reader should know about the inputs, one sentence each
 * @param charts the interactive curves; {@code null} when there are no metrics
 * @param library the charting library the page inlines; {@code null} when there are no charts
 * @param trainingRun whether the folder is a training run (it has checkpoints), which decides the
 *     configuration sections shown
 */
record ReportContent(
    String runName,
    String runDir,
    String config,
    MetricsLog metrics,
    List<ReportPlots.Plot> plots,
    EvalResults eval,
    List<ExampleImages.Shown> examples,
    List<String> notes,
    InteractiveCharts charts,
    ChartLibrary library,
    boolean trainingRun) {

  /** Said wherever the evaluation table would be when there are no results. */
  static final String NOT_EVALUATED =
      "Evaluation has not run: there is no " + RunLayout.EVAL_RESULTS + " in the run directory.";

  /** A loss or other metric: four decimals, or scientific notation for tiny values. */
  static String metric(double value) {
    if (value != 0 && Math.abs(value) < 0.01) {
      return Axis.compactExponent(String.format(Locale.ROOT, "%.3e", value));
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /** The summary facts as label/value pairs, in display order. */
  List<String[]> facts() {
    List<String[]> facts = new java.util.ArrayList<>();
    facts.add(new String[] {"Run", runName});
    facts.add(new String[] {"Run directory", runDir});
    if (metrics != null) {
      facts.add(
          new String[] {
            "Steps",
            metrics.lastStep().isPresent() ? Long.toString(metrics.lastStep().getAsLong()) : "none"
          });
      facts.add(new String[] {"Logged rows", Integer.toString(metrics.size())});
      facts.add(
          new String[] {
            "Final loss",
            metrics.finalLoss().isPresent() ? metric(metrics.finalLoss().getAsDouble()) : "none"
          });
      metrics
          .skippedSteps()
          .ifPresent(
              skipped ->
                  facts.add(
                      new String[] {
                        "Skipped steps",
                        skipped + " (fp16-mixed: gradients overflowed float16, no update)"
                      }));
      double[] elapsed = metrics.elapsedSeconds();
      if (elapsed.length > 0 && Double.isFinite(elapsed[elapsed.length - 1])) {
        facts.add(new String[] {"Training time", duration(elapsed[elapsed.length - 1])});
      }
    } else {
      facts.add(new String[] {"Steps", "no " + RunLayout.METRICS});
    }
    facts.add(
        new String[] {"Evaluated", eval == null ? "not yet" : "checkpoint at step " + eval.step()});
    return facts;
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
