package org.mm1lab.core.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout.Eval;

/**
 * The scores of one evaluation of a run, read from {@code eval/results.json}, and the table the MM1
 * paper shows: one row per task, one column per shot count, and averages over tasks for each shot
 * count, taken only over tasks whose scores are on the same scale ({@link #tasksByScale}). Scores
 * are on the paper's scale (CIDEr x 100, accuracies in %).
 *
 * @param run the run's name
 * @param step the training step of the evaluated checkpoint
 * @param results one score per task and shot count, in file order
 */
public record EvalResults(String run, long step, List<Score> results) {

  /**
   * One score.
   *
   * @param task the benchmark, e.g. {@code caption} or {@code vqa}
   * @param shots the number of in-context examples
   * @param metric the metric's name, e.g. {@code CIDEr-D}
   * @param score the score on the paper's scale
   * @param items how many items were evaluated; 0 when the file does not say
   * @param se the standard error of the score over the evaluation items, on its scale; NaN when
   *     unknown (files written before it was recorded, or fewer than two items)
   * @param droppedShots the in-context examples left out over all items because prompts would not
   *     fit the sequence length; -1 when the file does not say (written before it was recorded)
   */
  public record Score(
      String task,
      int shots,
      String metric,
      double score,
      long items,
      double se,
      long droppedShots) {
    /** Checks the fields. */
    public Score {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(metric, "metric");
      if (shots < 0) {
        throw new IllegalArgumentException("shots must be >= 0, not " + shots);
      }
      if (se < 0) {
        throw new IllegalArgumentException("a standard error must be >= 0, not " + se);
      }
    }

    /** A score whose dropped shots are unknown. */
    public Score(String task, int shots, String metric, double score, long items, double se) {
      this(task, shots, metric, score, items, se, -1);
    }

    /** A score whose standard error and dropped shots are unknown. */
    public Score(String task, int shots, String metric, double score, long items) {
      this(task, shots, metric, score, items, Double.NaN, -1);
    }

    /** Whether the standard error is known. */
    public boolean hasSe() {
      return !Double.isNaN(se);
    }

    /** Whether the file recorded the dropped shots. */
    public boolean hasDroppedShots() {
      return droppedShots >= 0;
    }
  }

  /**
   * Checks that no task appears twice with the same shot count, which would make the table
   * ambiguous.
   */
  public EvalResults {
    Objects.requireNonNull(run, "run");
    results = List.copyOf(results);
    Map<String, Score> seen = new LinkedHashMap<>();
    for (Score s : results) {
      if (seen.put(s.task() + "\u0000" + s.shots(), s) != null) {
        throw new IllegalArgumentException(
            "task " + s.task() + " has two scores at " + s.shots() + " shots");
      }
    }
  }

  /**
   * Reads {@code eval/results.json}.
   *
   * @throws UserException when the file is missing, malformed, or a field is missing or of the
   *     wrong type; the message names the file and the entry
   */
  public static EvalResults read(Path file) {
    JsonFields json = new JsonFields(file);
    JsonObject root = json.object(json.parseFile(), "top level");
    String run = json.string(root, "top level", "run");
    long step = json.count(root, "top level", "step");
    JsonElement array = root.get("results");
    if (array == null || !array.isJsonArray()) {
      throw json.problem("top level", "\"results\" must be an array");
    }
    JsonArray rows = array.getAsJsonArray();
    List<Score> scores = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String where = "results[" + i + "]";
      JsonObject o = json.object(rows.get(i), where);
      long shots = json.count(o, where, Eval.Result.SHOTS);
      if (shots > Integer.MAX_VALUE) {
        throw json.problem(where, "\"shots\" is too large: " + shots);
      }
      Score score =
          new Score(
              json.string(o, where, Eval.Result.TASK),
              (int) shots,
              json.string(o, where, Eval.Result.METRIC),
              json.number(o, where, Eval.Result.SCORE),
              json.optionalCount(o, where, Eval.Result.ITEMS, 0),
              json.optionalNonNegative(o, where, Eval.Result.SE),
              json.optionalCount(o, where, Eval.Result.DROPPED_SHOTS, -1));
      Integer earlier = seen.put(score.task() + "\u0000" + score.shots(), i);
      if (earlier != null) {
        throw json.problem(
            where,
            "task "
                + score.task()
                + " at "
                + score.shots()
                + " shots already has a score in"
                + " results["
                + earlier
                + "]");
      }
      scores.add(score);
    }
    return new EvalResults(run, step, scores);
  }

  /** The tasks, in the order they first appear in the file (the table's rows). */
  public List<String> tasks() {
    return results.stream().map(Score::task).distinct().toList();
  }

  /** The shot counts, increasing (the table's columns). */
  public List<Integer> shotCounts() {
    return List.copyOf(new TreeSet<>(results.stream().map(Score::shots).toList()));
  }

  /** The score of {@code task} at {@code shots}, if it was evaluated. */
  public Optional<Score> find(String task, int shots) {
    return results.stream().filter(s -> s.task().equals(task) && s.shots() == shots).findFirst();
  }

  /**
   * The metrics a task is scored with, joined by "/" when its rows differ (they should not), for
   * the row label.
   */
  public String metricOf(String task) {
    return String.join(
        "/",
        results.stream().filter(s -> s.task().equals(task)).map(Score::metric).distinct().toList());
  }

  /**
   * The scale a metric's scores are on, which decides what may be averaged together: accuracies of
   * every kind are percentages ({@code %}); CIDEr-D and any other metric that is not a percentage
   * is its own scale, named by the metric.
   */
  public static String scale(String metric) {
    String m = metric.toLowerCase(java.util.Locale.ROOT);
    return m.contains("accuracy") || m.contains("exact match") || m.contains("%") ? "%" : metric;
  }

  /**
   * The tasks (break-down rows aside) grouped by the scale of their metric ({@link #scale}), in
   * order of first appearance: only the tasks of one group may be averaged together, since the mean
   * of a CIDEr-D score and an accuracy means nothing.
   */
  public Map<String, List<String>> tasksByScale() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String task : averagedTasks()) {
      groups.computeIfAbsent(scale(metricOf(task)), k -> new ArrayList<>()).add(task);
    }
    return groups;
  }

  /**
   * The average score over those of {@code tasks} evaluated at {@code shots}; empty when none was.
   * Check {@link #tasksAt} against {@code tasks.size()} to tell whether every task contributed.
   */
  public OptionalDouble average(List<String> tasks, int shots) {
    return scoresAt(tasks, shots).stream().mapToDouble(Score::score).average();
  }

  /**
   * The standard error of {@link #average}: the tasks' item sets are independent samples, so it is
   * the square root of the sum of the tasks' squared standard errors over their number; NaN when a
   * task's standard error is unknown or no task was evaluated at {@code shots}.
   */
  public double averageSe(List<String> tasks, int shots) {
    List<Score> at = scoresAt(tasks, shots);
    double squares = 0;
    for (Score s : at) {
      squares += s.se() * s.se();
    }
    return at.isEmpty() ? Double.NaN : Math.sqrt(squares) / at.size();
  }

  /**
   * The average over every task (break-down rows aside) at {@code shots}, whatever their metrics:
   * the single number an ablation's progress line compares variants by. It mixes scales (CIDEr-D
   * with accuracies), so the run report shows {@link #average(List, int)} per scale instead.
   */
  public OptionalDouble average(int shots) {
    return average(averagedTasks(), shots);
  }

  /** How many of {@code tasks} have a score at {@code shots}. */
  public int tasksAt(List<String> tasks, int shots) {
    return scoresAt(tasks, shots).size();
  }

  private List<Score> scoresAt(List<String> tasks, int shots) {
    return results.stream().filter(s -> s.shots() == shots && tasks.contains(s.task())).toList();
  }

  /** The tasks that may be averaged: every task but the break-down rows. */
  public List<String> averagedTasks() {
    return tasks().stream().filter(t -> !isBreakdown(t)).toList();
  }

  /**
   * Whether a row breaks a task down ({@code text-core/count} under {@code text-core}): shown in
   * the table, but not a task of its own in the average.
   */
  public static boolean isBreakdown(String task) {
    return task.contains("/");
  }
}
