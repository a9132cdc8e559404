package org.mm1lab.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The evaluation table as formatted text cells, shared by the HTML page and the Markdown summary so
 * both show the same numbers: rows are tasks, columns are shot counts (and, when the results record
 * them, the in-context examples dropped for length), and average rows per shot count as the MM1
 * paper has, each over the tasks whose scores are on one scale: accuracies together, CIDEr-D on its
 * own.
 */
final class EvalTable {

  /** The text of a cell with no score. */
  static final String MISSING = "\u2014";

  /** The header of the dropped-shots column. */
  static final String DROPPED = "Dropped shots";

  /** What the table's numbers are, said under it. */
  static final String LEGEND =
      "Scores on the paper's scale (CIDEr x 100, accuracies in %). \u00b1 is the standard error"
          + " over the evaluation items: the sample standard deviation of the per-item scores"
          + " divided by the square root of their number (for CIDEr-D over images, since the"
          + " corpus score is their mean). An average's combines the tasks' as independent"
          + " samples. It measures the evaluation set's sampling noise, not seed-to-seed"
          + " variation; a score without \u00b1 has no recorded standard error. Averages are taken"
          + " only over tasks on the same scale: CIDEr-D is not a percentage, so it is never"
          + " averaged with accuracies. Dropped shots counts the in-context examples left out over"
          + " all items because their prompts would not fit the sequence length.";

  /**
   * One row.
   *
   * @param task the task, or the label of an average row
   * @param metric the metric, or the scale of an average row
   * @param cells one formatted score per shot count, then the dropped shots when shown
   */
  record Row(String task, String metric, List<String> cells) {}

  private final List<String> headers;
  private final List<Row> rows;
  private final List<Row> averages;

  /** Formats {@code results}: scores with one decimal, as the paper prints them. */
  EvalTable(EvalResults results) {
    List<Integer> shots = results.shotCounts();
    boolean dropped = results.results().stream().anyMatch(EvalResults.Score::hasDroppedShots);
    List<String> h = new ArrayList<>(shots.stream().map(s -> s + "-shot").toList());
    if (dropped) {
      h.add(DROPPED);
    }
    headers = List.copyOf(h);
    rows = new ArrayList<>();
    for (String task : results.tasks()) {
      List<String> cells = new ArrayList<>();
      for (int s : shots) {
        cells.add(results.find(task, s).map(r -> score(r.score(), r.se())).orElse(MISSING));
      }
      if (dropped) {
        cells.add(dropped(results, task, shots));
      }
      rows.add(new Row(task, results.metricOf(task), cells));
    }
    averages = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : results.tasksByScale().entrySet()) {
      List<String> tasks = group.getValue();
      if (tasks.size() < 2) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (int s : shots) {
        OptionalDouble mean = results.average(tasks, s);
        int present = results.tasksAt(tasks, s);
        String cell =
            mean.isPresent() ? score(mean.getAsDouble(), results.averageSe(tasks, s)) : MISSING;
        // An average over fewer tasks is not comparable with a full one; say so in the cell.
        if (mean.isPresent() && present < tasks.size()) {
          cell += " (" + present + " of " + tasks.size() + " tasks)";
        }
        cells.add(cell);
      }
      if (dropped) {
        cells.add("");
      }
      String scale = group.getKey().equals("%") ? "accuracy, %" : group.getKey();
      averages.add(new Row("Average of " + String.join(", ", tasks), scale, cells));
    }
  }

  /** The dropped shots of a task: 0, or the non-zero counts by shot count; unknown as missing. */
  private static String dropped(EvalResults results, String task, List<Integer> shots) {
    List<String> parts = new ArrayList<>();
    boolean known = false;
    for (int s : shots) {
      var score = results.find(task, s);
      if (score.isPresent() && score.get().hasDroppedShots()) {
        known = true;
        if (score.get().droppedShots() > 0) {
          parts.add(s + "-shot: " + score.get().droppedShots());
        }
      }
    }
    if (!known) {
      return MISSING;
    }
    return parts.isEmpty() ? "0" : String.join(", ", parts);
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

  /**
   * The average rows, one per scale that has at least two tasks ({@code Average of vqa, text-core},
   * scale {@code accuracy, %}); none when no two tasks share a scale.
   */
  List<Row> averages() {
    return averages;
  }
}
