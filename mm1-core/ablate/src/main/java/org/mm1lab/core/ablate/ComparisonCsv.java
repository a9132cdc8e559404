package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison as CSV in long form, for spreadsheets and plotting scripts: one line per variant,
 * task (or {@code average}) and shot count, with the axis levels, the number of seeds, mean,
 * standard deviation, minimum, maximum and the difference of the mean to the baseline; then, added
 * after those so that scripts reading columns by position keep working, the standard error of the
 * mean and its 95% interval ({@code se}, {@code ci_low}, {@code ci_high}), the difference's
 * standard error, degrees of freedom, 95% interval and method ({@code delta_se}, {@code delta_df},
 * {@code delta_low}, {@code delta_high}, {@code delta_method}: {@code paired} or {@code welch}),
 * whether that interval covers 0 ({@code within_noise}), and the runs' mean standard error over
 * evaluation items ({@code item_se}). Empty fields mean no value: no interval with one seed, no
 * difference interval on the baseline's own lines.
 */
final class ComparisonCsv {

  static final String AVERAGE = "average";

  private ComparisonCsv() {}

  static String render(Comparison c) {
    List<String> header = new ArrayList<>(List.of("variant", "baseline"));
    c.plan().axes().forEach(a -> header.add(a.label()));
    header.addAll(List.of("task", "metric", "shots", "seeds", "mean", "sd", "min", "max", "delta"));
    header.addAll(
        List.of(
            "se",
            "ci_low",
            "ci_high",
            "delta_se",
            "delta_df",
            "delta_low",
            "delta_high",
            "delta_method",
            "within_noise",
            "item_se"));
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
              c.scoreDifference(group, task, s),
              c.itemSe(group, task, s));
        }
        row(
            csv,
            c,
            group,
            first,
            AVERAGE,
            "",
            s,
            c.average(group, s),
            c.averageDifference(group, s),
            Double.NaN);
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
      Difference delta,
      double itemSe) {
    boolean baseline = group.equals(c.baseline());
    Difference d = baseline ? new Difference(delta.delta(), 0, 0, Difference.Method.NONE) : delta;
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
            number(d.delta()),
            number(st.se()),
            number(st.low()),
            number(st.high()),
            number(d.hasInterval() ? d.se() : Double.NaN),
            number(d.hasInterval() ? d.df() : Double.NaN),
            number(d.low()),
            number(d.high()),
            d.method().label(),
            d.hasInterval() ? Boolean.toString(d.withinNoise()) : "",
            number(itemSe)));
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
