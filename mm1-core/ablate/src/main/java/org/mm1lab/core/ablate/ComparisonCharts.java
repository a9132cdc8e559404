package org.mm1lab.core.ablate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.layout.RunLayout.Ablation;
import org.mm1lab.core.report.BarChart;
import org.mm1lab.core.report.LinePlot;

/**
 * Draws the comparison's charts into the report folder with the run report's {@link BarChart} and
 * {@link LinePlot}: per axis and shot count the average over tasks against the axis's levels, one
 * bar per combination of the other axes' levels; the average of every variant; and the training
 * loss of every variant overlaid (mean over seeds, with a light centred-mean band). With several
 * seeds each bar is the mean over seeds with an error bar for its 95% interval (Student's t), as in
 * the tables; a bar of a single seed has none.
 */
final class ComparisonCharts {

  /** One written chart: its file inside the report folder and its title. */
  record Chart(String fileName, String title) {}

  private static final int HEIGHT = 450;

  private ComparisonCharts() {}

  static List<Chart> write(Comparison c, Path reportDir) throws IOException {
    List<Chart> charts = new ArrayList<>();
    Map<Map<String, String>, String> groupAt = new HashMap<>();
    for (AblationPlan.Run run : c.plan().runs()) {
      if (!run.levels().isEmpty()) {
        groupAt.put(run.levels(), run.group());
      }
    }
    String seeds = c.plan().seeds().size() > 1 ? " (mean over seeds)" : "";
    String bars = c.plan().seeds().size() > 1 ? " (mean over seeds, 95% interval)" : "";
    for (AblationPlan.Axis axis : c.plan().axes()) {
      for (int s : c.shots()) {
        BarChart chart =
            new BarChart(s + "-shot average over tasks vs " + axis.label() + bars, "score")
                .categories(axis.levels().toArray(String[]::new));
        for (Map.Entry<String, Map<String, String>> series : others(c.plan(), axis).entrySet()) {
          List<Stats> stats = new ArrayList<>();
          for (String level : axis.levels()) {
            Map<String, String> point = new LinkedHashMap<>(series.getValue());
            point.put(axis.label(), level);
            String group = groupAt.get(ordered(c.plan(), point));
            stats.add(group == null ? Stats.of(List.of()) : c.average(group, s));
          }
          series(chart, series.getKey(), stats);
        }
        String file = Ablation.axisChart(VariantNames.safe(axis.label()), s);
        chart.write(reportDir.resolve(file), Math.max(640, 160 * axis.levels().size()), HEIGHT);
        charts.add(new Chart(file, s + "-shot average vs " + axis.label()));
      }
    }
    if (!c.shots().isEmpty()) {
      BarChart all =
          new BarChart("Average over tasks, every variant" + bars, "score")
              .categories(c.groups().toArray(String[]::new));
      for (int s : c.shots()) {
        series(all, s + "-shot", c.groups().stream().map(g -> c.average(g, s)).toList());
      }
      all.write(
          reportDir.resolve(Ablation.VARIANTS_CHART),
          Math.max(800, 110 * c.groups().size()),
          HEIGHT);
      charts.add(new Chart(Ablation.VARIANTS_CHART, "Average over tasks, every variant"));
    }
    // Each variant's logged means drawn plainly, with a light band along their centred mean: a
    // trend that neither lags behind a falling loss nor hides the values.
    int longest = c.groups().stream().mapToInt(g -> c.meanLoss(g)[1].length).max().orElse(0);
    int window = LinePlot.smoothingWindow(longest);
    LinePlot loss =
        new LinePlot(
            "Training loss"
                + seeds
                + (window > 1 ? ", light band: centred mean of " + window + " points" : ""),
            "step",
            "loss");
    loss.smoothing(window);
    for (String group : c.groups()) {
      double[][] curve = c.meanLoss(group);
      loss.series(group, curve[0], curve[1]);
    }
    loss.write(reportDir.resolve(Ablation.LOSS_CHART), 900, 500);
    charts.add(new Chart(Ablation.LOSS_CHART, "Training loss of every variant"));
    return charts;
  }

  /** Adds a series of means with their 95% intervals as error bars. */
  private static void series(BarChart chart, String name, List<Stats> stats) {
    chart.series(
        name,
        stats.stream().mapToDouble(Stats::mean).toArray(),
        stats.stream().mapToDouble(Stats::low).toArray(),
        stats.stream().mapToDouble(Stats::high).toArray());
  }

  /**
   * The combinations of the other axes' levels, each a series: its legend name to its levels
   * ({@code all} when there is no other axis).
   */
  private static Map<String, Map<String, String>> others(
      AblationPlan plan, AblationPlan.Axis axis) {
    List<Map<String, String>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (AblationPlan.Axis other : plan.axes()) {
      if (other.equals(axis)) {
        continue;
      }
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> p : points) {
        for (String level : other.levels()) {
          Map<String, String> q = new LinkedHashMap<>(p);
          q.put(other.label(), level);
          next.add(q);
        }
      }
      points = next;
    }
    Map<String, Map<String, String>> series = new LinkedHashMap<>();
    for (Map<String, String> p : points) {
      List<String> parts = new ArrayList<>();
      p.forEach((k, v) -> parts.add(k + "=" + v));
      series.put(parts.isEmpty() ? "all" : String.join(", ", parts), p);
    }
    return series;
  }

  /** A point's levels in the plan's axis order, as the runs record them. */
  private static Map<String, String> ordered(AblationPlan plan, Map<String, String> point) {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (AblationPlan.Axis a : plan.axes()) {
      ordered.put(a.label(), point.get(a.label()));
    }
    return ordered;
  }
}
