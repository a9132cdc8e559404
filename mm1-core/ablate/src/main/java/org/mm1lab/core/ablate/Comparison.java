package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mm1lab.core.report.EvalResults;
import org.mm1lab.core.report.MetricsLog;

/**
 * The numbers of an ablation's comparison: per variant (a group of runs that differ only in their
 * seed), task and shot count the mean and spread over seeds with its 95% interval, the average over
 * tasks as the MM1 paper reports it, and the difference of each mean to the baseline's with the
 * interval of that difference (paired by seed when the two have the same seeds, see {@link
 * Difference}).
 *
 * <p>A run's average over tasks at a shot count counts only when the run has a score for every task
 * (break-down rows aside) any run was evaluated on at that shot count, so that averages over
 * different task sets are never compared; the mean and spread of a variant's average are taken over
 * its runs' averages.
 */
public final class Comparison {

  private final AblationResults data;
  private final List<String> tasks;
  private final Map<String, String> metrics = new LinkedHashMap<>();
  private final List<Integer> shots;

  /** Computes the comparison of whatever results exist. */
  public Comparison(AblationResults data) {
    this.data = data;
    Set<String> taskSet = new LinkedHashSet<>();
    Set<Integer> shotSet = new TreeSet<>();
    for (AblationPlan.Run run : data.plan().runs()) {
      data.results(run.name())
          .ifPresent(
              r -> {
                taskSet.addAll(r.tasks());
                shotSet.addAll(r.shotCounts());
                for (String task : r.tasks()) {
                  metrics.putIfAbsent(task, r.metricOf(task));
                }
              });
    }
    this.tasks = List.copyOf(taskSet);
    this.shots = List.copyOf(shotSet);
  }

  /** The plan. */
  public AblationPlan plan() {
    return data.plan();
  }

  /** The results and metrics read. */
  public AblationResults data() {
    return data;
  }

  /** The variants (rows), in order. */
  public List<String> groups() {
    return data.plan().groups();
  }

  /** The baseline variant. */
  public String baseline() {
    return data.plan().baseline();
  }

  /** The tasks any run was evaluated on, in order of first appearance. */
  public List<String> tasks() {
    return tasks;
  }

  /** A task's metric, e.g. {@code CIDEr-D}. */
  public String metric(String task) {
    return metrics.getOrDefault(task, "");
  }

  /** The shot counts any run was evaluated at, increasing. */
  public List<Integer> shots() {
    return shots;
  }

  /** The tasks any run has a score for at {@code shots}. */
  public List<String> tasksAt(int shotCount) {
    List<String> at = new ArrayList<>();
    for (String task : tasks) {
      for (AblationPlan.Run run : data.plan().runs()) {
        if (data.results(run.name()).flatMap(r -> r.find(task, shotCount)).isPresent()) {
          at.add(task);
          break;
        }
      }
    }
    return at;
  }

  /**
   * The tasks the average over tasks is taken over at {@code shots}: those of {@link #tasksAt}
   * without break-down rows ({@code text-core/count}), which are parts of a task, not tasks.
   */
  public List<String> averagedTasksAt(int shotCount) {
    return tasksAt(shotCount).stream().filter(t -> !EvalResults.isBreakdown(t)).toList();
  }

  /** A variant's score on a task at a shot count, over its seeds. */
  public Stats score(String group, String task, int shotCount) {
    return Stats.of(new ArrayList<>(scoresBySeed(group, task, shotCount).values()));
  }

  /** A variant's average over tasks at a shot count, over its seeds. */
  public Stats average(String group, int shotCount) {
    return Stats.of(new ArrayList<>(averagesBySeed(group, shotCount).values()));
  }

  /** A variant's score on a task minus the baseline's, with its interval. */
  public Difference scoreDifference(String group, String task, int shotCount) {
    return Difference.of(
        scoresBySeed(group, task, shotCount), scoresBySeed(baseline(), task, shotCount));
  }

  /** A variant's average over tasks minus the baseline's, with its interval. */
  public Difference averageDifference(String group, int shotCount) {
    return Difference.of(averagesBySeed(group, shotCount), averagesBySeed(baseline(), shotCount));
  }

  /**
   * The standard error over evaluation items of a variant's score on a task, as its runs' {@code
   * results.json} record it, averaged over the seeds that record one: the evaluation set's sampling
   * noise in one run's score, not seed-to-seed variation. NaN when no run records one.
   */
  public double itemSe(String group, String task, int shotCount) {
    double sum = 0;
    int n = 0;
    for (AblationPlan.Run run : data.plan().runsOf(group)) {
      Optional<EvalResults.Score> s =
          data.results(run.name()).flatMap(r -> r.find(task, shotCount));
      if (s.isPresent() && s.get().hasSe()) {
        sum += s.get().se();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * A variant's scores on a task at a shot count by seed, for the runs that have one (a run without
   * a seed under a null key).
   */
  public Map<Long, Double> scoresBySeed(String group, String task, int shotCount) {
    Map<Long, Double> values = new LinkedHashMap<>();
    for (AblationPlan.Run run : data.plan().runsOf(group)) {
      data.results(run.name())
          .flatMap(r -> r.find(task, shotCount))
          .ifPresent(s -> values.put(run.seed(), s.score()));
    }
    return values;
  }

  /**
   * A variant's averages over tasks at a shot count by seed, for the runs that have every task of
   * {@link #averagedTasksAt} (a run without a seed under a null key).
   */
  public Map<Long, Double> averagesBySeed(String group, int shotCount) {
    List<String> required = averagedTasksAt(shotCount);
    Map<Long, Double> values = new LinkedHashMap<>();
    for (AblationPlan.Run run : data.plan().runsOf(group)) {
      Optional<EvalResults> r = data.results(run.name());
      if (r.isEmpty() || required.isEmpty()) {
        continue;
      }
      double sum = 0;
      boolean all = true;
      for (String task : required) {
        Optional<EvalResults.Score> s = r.get().find(task, shotCount);
        if (s.isEmpty()) {
          all = false;
          break;
        }
        sum += s.get().score();
      }
      if (all) {
        values.put(run.seed(), sum / required.size());
      }
    }
    return values;
  }

  /** The mean of a variant's score minus the baseline's; NaN when either is missing. */
  public double delta(String group, String task, int shotCount) {
    return scoreDifference(group, task, shotCount).delta();
  }

  /**
   * The mean of a variant's average over tasks minus the baseline's; NaN when either is missing.
   */
  public double averageDelta(String group, int shotCount) {
    return averageDifference(group, shotCount).delta();
  }

  /** A variant's last training loss, over its seeds. */
  public Stats finalLoss(String group) {
    List<Double> values = new ArrayList<>();
    for (AblationPlan.Run run : data.plan().runsOf(group)) {
      data.metrics(run.name())
          .flatMap(
              m ->
                  m.finalLoss().isPresent()
                      ? Optional.of(m.finalLoss().getAsDouble())
                      : Optional.empty())
          .ifPresent(values::add);
    }
    return Stats.of(values);
  }

  /** How many of a variant's runs have results, and how many it has. */
  public int[] runsWithResults(String group) {
    List<AblationPlan.Run> runs = data.plan().runsOf(group);
    int with = (int) runs.stream().filter(r -> data.results(r.name()).isPresent()).count();
    return new int[] {with, runs.size()};
  }

  /**
   * A variant's training loss by step, averaged over the seeds that logged each step: {@code
   * [steps, losses]}; empty arrays when no run logged any.
   */
  public double[][] meanLoss(String group) {
    TreeMap<Double, double[]> byStep = new TreeMap<>();
    for (AblationPlan.Run run : data.plan().runsOf(group)) {
      Optional<MetricsLog> log = data.metrics(run.name());
      if (log.isEmpty()) {
        continue;
      }
      double[] steps = log.get().steps();
      double[] loss = log.get().loss();
      for (int i = 0; i < steps.length; i++) {
        if (Double.isFinite(loss[i])) {
          double[] sum = byStep.computeIfAbsent(steps[i], s -> new double[2]);
          sum[0] += loss[i];
          sum[1]++;
        }
      }
    }
    double[] steps = new double[byStep.size()];
    double[] loss = new double[byStep.size()];
    int i = 0;
    for (Map.Entry<Double, double[]> e : byStep.entrySet()) {
      steps[i] = e.getKey();
      loss[i] = e.getValue()[0] / e.getValue()[1];
      i++;
    }
    return new double[][] {steps, loss};
  }
}
