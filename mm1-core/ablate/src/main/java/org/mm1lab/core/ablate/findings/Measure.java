package org.mm1lab.core.ablate.findings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.ablate.Comparison;

/**
 * What a finding compares, per run: the average over every task the grid evaluated (as the
 * comparison's tables show it), one task's score, or the mean of a few tasks' scores; and the shot
 * counts it is compared at, one row each. Scores are on the paper's scale (CIDEr-D x 100,
 * accuracies in %), and an average mixes them, as the MM1 paper's averages do.
 *
 * @param tasks the tasks averaged; empty for the average over every task
 * @param shots the shot counts, in the order the rows go
 */
public record Measure(List<String> tasks, List<Integer> shots) {

  /** Copies the lists. */
  public Measure {
    tasks = List.copyOf(tasks);
    shots = List.copyOf(shots);
  }

  /** Whether this is the comparison's average over every task. */
  public boolean isAverage() {
    return tasks.isEmpty();
  }

  /** {@code average over tasks}, {@code caption} or {@code mean of caption and vqa}. */
  public String label() {
    if (tasks.isEmpty()) {
      return "average over tasks";
    }
    if (tasks.size() == 1) {
      return tasks.get(0);
    }
    return "mean of "
        + String.join(", ", tasks.subList(0, tasks.size() - 1))
        + " and "
        + tasks.get(tasks.size() - 1);
  }

  /**
   * A variant's values by seed at a shot count: only the runs that have every task the measure
   * takes (for the average, every task any run of the grid has at that shot count), so that no
   * seed's value is a mean over fewer tasks.
   */
  public Map<Long, Double> bySeed(Comparison c, String group, int shotCount) {
    if (tasks.isEmpty()) {
      return c.averagesBySeed(group, shotCount);
    }
    Map<Long, double[]> sums = new LinkedHashMap<>();
    for (String task : tasks) {
      c.scoresBySeed(group, task, shotCount)
          .forEach(
              (seed, score) -> {
                double[] sum = sums.computeIfAbsent(seed, s -> new double[2]);
                sum[0] += score;
                sum[1]++;
              });
    }
    Map<Long, Double> values = new LinkedHashMap<>();
    sums.forEach(
        (seed, sum) -> {
          if (sum[1] == tasks.size()) {
            values.put(seed, sum[0] / tasks.size());
          }
        });
    return values;
  }

  /**
   * Why no run can have a value at {@code shotCount}, or null when some run can: no run was
   * evaluated at that shot count, or on one of the tasks at it.
   */
  public String unmeasurable(Comparison c, int shotCount) {
    if (!c.shots().contains(shotCount)) {
      return "no run of the grid has "
          + shotCount
          + "-shot scores (evaluated at "
          + (c.shots().isEmpty() ? "none" : join(c.shots()))
          + " shots; add "
          + shotCount
          + " to mm1.eval.shots)";
    }
    for (String task : tasks) {
      if (!c.tasksAt(shotCount).contains(task)) {
        return "no run of the grid has a "
            + task
            + " score at "
            + shotCount
            + " shots (tasks there: "
            + String.join(", ", c.tasksAt(shotCount))
            + ")";
      }
    }
    return null;
  }

  private static String join(List<Integer> values) {
    return String.join(", ", values.stream().map(String::valueOf).toList());
  }
}
