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
 * paper shows: one row per task, one column per shot count, and an average over tasks for each shot
 * count. Scores are on the paper's scale (CIDEr x 100, accuracies in %).
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
   */
  public record Score(String task, int shots, String metric, double score, long items, double se) {
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

    /** A score whose standard error is unknown. */
    public Score(String task, int shots, String metric, double score, long items) {
      this(task, shots, metric, score, items, Double.NaN);
    }

    /** Whether the standard error is known. */
    public boolean hasSe() {
      return !Double.isNaN(se);
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
              json.optionalNonNegative(o, where, Eval.Result.SE));
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
   * The average score over the tasks evaluated at {@code shots}, as the MM1 paper's "average" row;
   * empty when no task was. Check {@link #tasksAt} against {@code averagedTasks().size()} to tell
   * whether every task contributed.
   */
  public OptionalDouble average(int shots) {
    return results.stream()
        .filter(s -> s.shots() == shots && !isBreakdown(s.task()))
        .mapToDouble(Score::score)
        .average();
  }

  /**
   * The standard error of {@link #average}: the tasks' item sets are independent samples, so it is
   * the square root of the sum of the tasks' squared standard errors over their number; NaN when a
   * task's standard error is unknown or no task was evaluated at {@code shots}.
   */
  public double averageSe(int shots) {
    List<Score> at =
        results.stream().filter(s -> s.shots() == shots && !isBreakdown(s.task())).toList();
    double squares = 0;
    for (Score s : at) {
      squares += s.se() * s.se();
    }
    return at.isEmpty() ? Double.NaN : Math.sqrt(squares) / at.size();
  }

  /** How many tasks (break-down rows aside) have a score at {@code shots}. */
  public int tasksAt(int shots) {
    return (int) results.stream().filter(s -> s.shots() == shots && !isBreakdown(s.task())).count();
  }

  /** The tasks the average is over: every task but the break-down rows. */
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
