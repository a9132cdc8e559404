package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as tables of formatted cells, shared by the Markdown and HTML reports so that both
 * show the same numbers: a summary of the average over tasks, one paper-style table per shot count
 * (a column per task), one table per task and shot count with mean, spread and difference to the
 * baseline, and the overrides that make each variant.
 */
final class ComparisonTables {

  /**
   * One table.
   *
   * @param title its heading
   * @param headers the column headers
   * @param rows the cells, row by row
   * @param baselineRow the index of the baseline's row, or -1
   */
  record Table(String title, List<String> headers, List<List<String>> rows, int baselineRow) {}

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
        row.add(group.equals(c.baseline()) ? "" : Stats.delta(c.averageDelta(group, s)));
      }
      Stats loss = c.finalLoss(group);
      row.add(
          loss.n() == 0
              ? Stats.MISSING
              : String.format(Locale.ROOT, "%.3f", loss.mean())
                  + (loss.n() > 1 ? String.format(Locale.ROOT, " \u00b1 %.3f", loss.sd()) : ""));
      rows.add(row);
    }
    return new Table("Average over tasks", headers, rows, baselineIndex(c));
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
        row.add(group.equals(c.baseline()) ? "" : Stats.delta(c.averageDelta(group, s)));
        rows.add(row);
      }
      tables.add(new Table(s + "-shot", headers, rows, baselineIndex(c)));
    }
    return tables;
  }

  /** One table per task and shot count: seeds, mean, spread, and Δ to the baseline. */
  static List<Table> perTask(Comparison c) {
    List<Table> tables = new ArrayList<>();
    for (String task : c.tasks()) {
      for (int s : c.shots()) {
        if (!c.tasksAt(s).contains(task)) {
          continue;
        }
        List<String> headers =
            List.of("Variant", "Seeds", "Mean", "SD", "Min", "Max", "\u0394 baseline");
        List<List<String>> rows = new ArrayList<>();
        for (String group : c.groups()) {
          Stats st = c.score(group, task, s);
          rows.add(
              List.of(
                  name(c, group),
                  Integer.toString(st.n()),
                  Stats.number(st.mean()),
                  Stats.number(st.sd()),
                  Stats.number(st.min()),
                  Stats.number(st.max()),
                  group.equals(c.baseline()) ? "" : Stats.delta(c.delta(group, task, s))));
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

  private static String name(Comparison c, String group) {
    return group.equals(c.baseline()) ? group + " (baseline)" : group;
  }

  private static int baselineIndex(Comparison c) {
    return c.groups().indexOf(c.baseline());
  }
}
