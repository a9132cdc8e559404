package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as CSV in long form, for spreadsheets and plotting scripts: one line per variant,
 * task (or {@code average}) and shot count, with the axis levels, the number of seeds, mean,
 * standard deviation, minimum, maximum and the difference of the mean to the baseline. Empty fields
 * mean no value.
 */
final class ComparisonCsv {

  static final String AVERAGE = "average";

  private ComparisonCsv() {}

  static String render(Comparison c) {
    List<String> header = new ArrayList<>(List.of("variant", "baseline"));
    c.plan().axes().forEach(a -> header.add(a.label()));
    header.addAll(List.of("task", "metric", "shots", "seeds", "mean", "sd", "min", "max", "delta"));
    StringBuilder csv = new StringBuilder();
    line(csv, header);
    for (String group : c.groups()) {
      AblationPlan.Run first = c.plan().runsOf(group).get(0);
      for (int s : c.shots()) {
        for (String task : c.tasksAt(s)) {
          row(
              csv,
              c,
              group,
              first,
              task,
              c.metric(task),
              s,
              c.score(group, task, s),
              c.delta(group, task, s));
        }
        row(csv, c, group, first, AVERAGE, "", s, c.average(group, s), c.averageDelta(group, s));
      }
    }
    return csv.toString();
  }

  private static void row(
      StringBuilder csv,
      Comparison c,
      String group,
      AblationPlan.Run first,
      String task,
      String metric,
      int shots,
      Stats st,
      double delta) {
    List<String> cells =
        new ArrayList<>(List.of(group, Boolean.toString(group.equals(c.baseline()))));
    c.plan().axes().forEach(a -> cells.add(first.levels().getOrDefault(a.label(), "")));
    cells.addAll(
        List.of(
            task,
            metric,
            Integer.toString(shots),
            Integer.toString(st.n()),
            number(st.mean()),
            number(st.sd()),
            number(st.min()),
            number(st.max()),
            number(delta)));
    line(csv, cells);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static void line(StringBuilder csv, List<String> cells) {
    List<String> quoted = new ArrayList<>();
    for (String cell : cells) {
      boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
      quoted.add(quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
    }
    csv.append(String.join(",", quoted)).append('\n');
  }
}
