package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparison as tables of formatted cells, shared by the Markdown and HTML reports so that both
 * show the same numbers: a summary of the average over tasks, one paper-style table per shot count
 * (a column per task), one table per task and shot count with mean, spread, intervals and
 * difference to the baseline, and the overrides that make each variant; and the legend that says
 * what the cells are.
 */
final class ComparisonTables {

  /**
   * One table.
   *
   * @param title its heading
   * @param headers the column headers
   * @param rows the cells, row by row
   * @param baselineRow the index of the baseline's row, or -1
   * @param note one line under the heading that says how to read the table; empty for none
   */
  record Table(
      String title, List<String> headers, List<List<String>> rows, int baselineRow, String note) {

    /** A table without a note. */
    Table(String title, List<String> headers, List<List<String>> rows, int baselineRow) {
      this(title, headers, rows, baselineRow, "");
    }
  }

  /**
   * The line under every table that shows the average over tasks: readers of a single run's report
   * see averages per scale only, so the comparison says that its average mixes them.
   */
  static final String AVERAGE_NOTE =
      "The average over tasks mixes CIDEr-D (x 100) with accuracies (%), as the MM1 paper's"
          + " averages do.";

  private ComparisonTables() {}

  /** The summary: per variant its axis levels, seeds with results, averages, Δ and final loss. */
  static Table summary(Comparison c) {
    List<String> headers = new ArrayList<>(List.of("Variant"));
    c.plan().axes().forEach(a -> headers.add(a.label()));
    headers.add("Runs with results");
    for (int s : c.shots()) {
      headers.add(s + "-shot average");
      headers.add("\u0394 " + s + "-shot");
    }
    headers.add("Final train loss");
    List<List<String>> rows = new ArrayList<>();
    for (String group : c.groups()) {
      List<String> row = new ArrayList<>(List.of(name(c, group)));
      AblationPlan.Run first = c.plan().runsOf(group).get(0);
      c.plan().axes().forEach(a -> row.add(first.levels().getOrDefault(a.label(), "")));
      int[] runs = c.runsWithResults(group);
      row.add(runs[0] + " of " + runs[1]);
      for (int s : c.shots()) {
        row.add(c.average(group, s).format());
        row.add(group.equals(c.baseline()) ? "" : c.averageDifference(group, s).format());
      }
      row.add(c.finalLoss(group).format("%.3f"));
      rows.add(row);
    }
    return new Table("Average over tasks", headers, rows, baselineIndex(c), AVERAGE_NOTE);
  }

  /** One table per shot count: a column per task, then the average and its Δ. */
  static List<Table> byShots(Comparison c) {
    List<Table> tables = new ArrayList<>();
    for (int s : c.shots()) {
      List<String> headers = new ArrayList<>(List.of("Variant"));
      List<String> tasks = c.averagedTasksAt(s);
      for (String task : tasks) {
        headers.add(task + " (" + c.metric(task) + ")");
      }
      headers.add("Average");
      headers.add("\u0394 average");
      List<List<String>> rows = new ArrayList<>();
      for (String group : c.groups()) {
        List<String> row = new ArrayList<>(List.of(name(c, group)));
        for (String task : tasks) {
          row.add(c.score(group, task, s).format());
        }
        row.add(c.average(group, s).format());
        row.add(group.equals(c.baseline()) ? "" : c.averageDifference(group, s).format());
        rows.add(row);
      }
      tables.add(new Table(s + "-shot", headers, rows, baselineIndex(c), AVERAGE_NOTE));
    }
    return tables;
  }

  /**
   * One table per task and shot count: seeds, mean, spread, standard error and 95% interval, Δ to
   * the baseline with its interval, and the runs' standard error over evaluation items.
   */
  static List<Table> perTask(Comparison c) {
    List<Table> tables = new ArrayList<>();
    for (String task : c.tasks()) {
      for (int s : c.shots()) {
        if (!c.tasksAt(s).contains(task)) {
          continue;
        }
        List<String> headers =
            List.of(
                "Variant",
                "Seeds",
                "Mean",
                "SD",
                "SE",
                "95% interval",
                "Min",
                "Max",
                "\u0394 baseline",
                "\u0394 95% interval",
                "Item SE");
        List<List<String>> rows = new ArrayList<>();
        for (String group : c.groups()) {
          Stats st = c.score(group, task, s);
          boolean baseline = group.equals(c.baseline());
          Difference d = c.scoreDifference(group, task, s);
          rows.add(
              List.of(
                  name(c, group),
                  Integer.toString(st.n()),
                  Stats.number(st.mean()),
                  Stats.number(st.sd()),
                  Stats.number(st.se()),
                  st.interval(),
                  Stats.number(st.min()),
                  Stats.number(st.max()),
                  baseline ? "" : d.formatDelta(),
                  baseline ? "" : d.interval(),
                  Stats.number(c.itemSe(group, task, s))));
        }
        tables.add(
            new Table(
                task + ", " + s + "-shot (" + c.metric(task) + ")",
                headers,
                rows,
                baselineIndex(c)));
      }
    }
    return tables;
  }

  /** What each variant changes in the base run (seed and name aside). */
  static Table overrides(Comparison c) {
    List<List<String>> rows = new ArrayList<>();
    for (String group : c.groups()) {
      List<String> changes =
          c.plan().runsOf(group).get(0).overrides().stream()
              .filter(o -> !o.startsWith("mm1.seed=") && !o.startsWith("mm1.name="))
              .toList();
      rows.add(
          List.of(
              name(c, group), changes.isEmpty() ? "(the base run)" : String.join("; ", changes)));
    }
    return new Table(
        "Variants and their overrides", List.of("Variant", "Overrides"), rows, baselineIndex(c));
  }

  /**
   * What the cells are, one sentence each, for the lines under the report's title: the
   * presentation, how each interval is made, the marks, and what the item SE is and is not.
   */
  static List<String> legend() {
    return List.of(
        "Scores on the paper's scale (CIDEr x 100, accuracies in %); the average over tasks"
            + " counts a run only when it has every task.",
        "A cell 'mean \u00b1 h' is the mean over seeds and the half-width of its 95% confidence"
            + " interval, h = t(0.975, n-1) x SD / sqrt(n) for n seeds (Student's t; SD the"
            + " sample standard deviation); the per-task tables give SD, the standard error"
            + " SE = SD / sqrt(n) and the interval [mean - h, mean + h].",
        "\u0394 is the variant's mean minus the baseline's, '\u00b1 h' the half-width of its 95%"
            + " interval: paired when both have results for the same seeds (t on the per-seed"
            + " differences, n-1 degrees of freedom), otherwise Welch's interval"
            + " (Welch-Satterthwaite degrees of freedom).",
        Difference.WITHIN_NOISE + " marks a difference within noise: its 95% interval covers 0.",
        "With a single seed (on either side of a difference) there is no interval over seeds:"
            + " a value without \u00b1, '(1 seed)' or '"
            + Difference.NO_INTERVAL
            + "'; add seeds to the grid to measure seed noise.",
        "Item SE (per-task tables): the standard error of one run's score over its evaluation"
            + " items, from its results.json (mean over the variant's seeds). It is the"
            + " evaluation set's sampling noise only, not seed-to-seed variation, and no interval"
            + " for a difference between variants; a dash means the results do not record it.");
  }

  private static String name(Comparison c, String group) {
    return group.equals(c.baseline()) ? group + " (baseline)" : group;
  }

  private static int baselineIndex(Comparison c) {
    return c.groups().indexOf(c.baseline());
  }
}
