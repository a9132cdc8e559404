package org.mm1lab.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The evaluation table as formatted text cells, shared by the HTML page and the Markdown summary so
 * both show the same numbers: rows are tasks, columns are shot counts, and a last row averages over
 * tasks per shot count as the MM1 paper does.
 */
final class EvalTable {

  /** The text of a cell with no score. */
  static final String MISSING = "\u2014";

  /** What the table's numbers are, said under it. */
  static final String LEGEND =
      "Scores on the paper's scale (CIDEr x 100, accuracies in %). \u00b1 is the standard error"
          + " over the evaluation items: the sample standard deviation of the per-item scores"
          + " divided by the square root of their number (for CIDEr-D over images, since the"
          + " corpus score is their mean). The average's combines the tasks' as independent"
          + " samples. It measures the evaluation set's sampling noise, not seed-to-seed"
          + " variation; a score without \u00b1 has no recorded standard error.";

  /** The label of the average row. */
  static final String AVERAGE = "Average over tasks";

  /**
   * One row.
   *
   * @param task the task, or {@link #AVERAGE}
   * @param metric the metric, empty for the average row
   * @param cells one formatted score per shot count
   */
  record Row(String task, String metric, List<String> cells) {}

  private final List<String> headers;
  private final List<Row> rows;
  private final Row average;

  /** Formats {@code results}: scores with one decimal, as the paper prints them. */
  EvalTable(EvalResults results) {
    List<Integer> shots = results.shotCounts();
    headers = shots.stream().map(s -> s + "-shot").toList();
    rows = new ArrayList<>();
    for (String task : results.tasks()) {
      List<String> cells = new ArrayList<>();
      for (int s : shots) {
        cells.add(results.find(task, s).map(r -> score(r.score(), r.se())).orElse(MISSING));
      }
      rows.add(new Row(task, results.metricOf(task), cells));
    }
    int taskCount = results.averagedTasks().size();
    List<String> averages = new ArrayList<>();
    for (int s : shots) {
      OptionalDouble mean = results.average(s);
      int present = results.tasksAt(s);
      String cell = mean.isPresent() ? score(mean.getAsDouble(), results.averageSe(s)) : MISSING;
      // An average over fewer tasks is not comparable with a full one; say so in the cell.
      if (mean.isPresent() && present < taskCount) {
        cell += " (" + present + " of " + taskCount + " tasks)";
      }
      averages.add(cell);
    }
    average = new Row(AVERAGE, "", averages);
  }

  /** A score with one decimal. */
  static String score(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** {@code 53.2 ± 1.4} with its standard error, or the score alone when that is unknown. */
  static String score(double value, double se) {
    return Double.isNaN(se) ? score(value) : score(value) + " \u00b1 " + score(se);
  }

  /** The column headers after the task and metric columns, e.g. {@code 0-shot}. */
  List<String> headers() {
    return headers;
  }

  /** One row per task, in file order. */
  List<Row> rows() {
    return rows;
  }

  /** The average row. */
  Row average() {
    return average;
  }
}
