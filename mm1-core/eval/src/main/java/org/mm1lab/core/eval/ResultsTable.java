package org.mm1lab.core.eval;

import java.util.Locale;

/** Renders an {@link EvalReport} as a plain-text table for the terminal and logs. */
public final class ResultsTable {

  private ResultsTable() {}

  /**
   * The table: a title line, a header, one row per result with its standard error over the items
   * ({@code -} when unknown); a last column counts in-context examples dropped for length when any
   * were.
   *
   * <pre>
   * run quickstart, step 600
   * task                 shots  metric          score      se  items
   * caption                  0  CIDEr-D         53.20    1.84    100
   * </pre>
   */
  public static String render(EvalReport report) {
    boolean anyDropped = report.results().stream().anyMatch(r -> r.droppedShots() > 0);
    int taskWidth = 4;
    int metricWidth = 6;
    for (EvalReport.Result r : report.results()) {
      taskWidth = Math.max(taskWidth, r.task().length());
      metricWidth = Math.max(metricWidth, r.metric().length());
    }
    String row =
        "%-"
            + taskWidth
            + "s  %5s  %-"
            + metricWidth
            + "s  %8s  %6s  %5s"
            + (anyDropped ? "  %13s" : "%s");
    StringBuilder out = new StringBuilder();
    out.append("run ").append(report.run()).append(", step ").append(report.step()).append('\n');
    out.append(
            String.format(
                Locale.ROOT,
                row,
                "task",
                "shots",
                "metric",
                "score",
                "se",
                "items",
                anyDropped ? "dropped shots" : ""))
        .append('\n');
    for (EvalReport.Result r : report.results()) {
      out.append(
              String.format(
                  Locale.ROOT,
                  row,
                  r.task(),
                  r.shots(),
                  r.metric(),
                  String.format(Locale.ROOT, "%.2f", r.score()),
                  se(r.se()),
                  r.items(),
                  anyDropped ? String.valueOf(r.droppedShots()) : ""))
          .append('\n');
    }
    return out.toString();
  }

  /** A standard error with two decimals, or {@code -} when unknown. */
  static String se(double se) {
    return Double.isNaN(se) ? "-" : String.format(Locale.ROOT, "%.2f", se);
  }
}
