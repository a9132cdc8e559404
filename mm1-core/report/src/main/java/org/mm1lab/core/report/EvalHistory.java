package org.mm1lab.core.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout.Eval;

/**
 * Every evaluation of a run, read from {@code eval/history.jsonl} (one line per evaluation, the
 * checkpoint's step and its scores): the scores of each task and shot count over the evaluated
 * checkpoints. When one step was evaluated more than once, its latest evaluation counts. A last
 * line cut short by a killed process is skipped; a malformed line elsewhere fails naming the line.
 */
final class EvalHistory {

  /**
   * One task at one shot count over the evaluated steps.
   *
   * @param label e.g. {@code vqa 0-shot (VQA accuracy)}
   * @param scores one score per step of {@link #steps}, NaN where it was not evaluated
   */
  record Line(String label, double[] scores) {}

  private final double[] steps;
  private final List<Line> lines;

  private EvalHistory(double[] steps, List<Line> lines) {
    this.steps = steps;
    this.lines = List.copyOf(lines);
  }

  /** A history with no evaluation (a run folder without the file). */
  static EvalHistory empty() {
    return new EvalHistory(new double[0], List.of());
  }

  /**
   * Reads the history.
   *
   * @throws UserException when the file cannot be read or a line other than the last is malformed
   */
  static EvalHistory read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
    // step -> (label -> score); a later evaluation of the same step replaces the earlier one
    TreeMap<Long, Map<String, Double>> byStep = new TreeMap<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      if (text.get(i).isBlank()) {
        continue;
      }
      Map<String, Double> scores = new LinkedHashMap<>();
      long step;
      try {
        JsonObject o = JsonParser.parseString(text.get(i)).getAsJsonObject();
        step = o.get("step").getAsLong();
        JsonArray results = o.getAsJsonArray("results");
        for (JsonElement e : results) {
          JsonObject r = e.getAsJsonObject();
          String task = r.get(Eval.Result.TASK).getAsString();
          if (EvalResults.isBreakdown(task)) {
            continue;
          }
          String label =
              task
                  + " "
                  + r.get(Eval.Result.SHOTS).getAsInt()
                  + "-shot ("
                  + r.get(Eval.Result.METRIC).getAsString()
                  + ")";
          scores.put(label, r.get(Eval.Result.SCORE).getAsDouble());
          if (!labels.contains(label)) {
            labels.add(label);
          }
        }
      } catch (JsonParseException
          | IllegalStateException
          | NullPointerException
          | UnsupportedOperationException
          | ClassCastException e) {
        if (i == lastNonBlank(text)) {
          break; // a write cut short by a kill
        }
        throw new UserException(
            file + ":" + (i + 1) + ": not an evaluation record; fix or delete that line", e);
      }
      byStep.put(step, scores);
    }
    double[] steps = byStep.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    List<Line> lines = new ArrayList<>();
    for (String label : labels) {
      double[] scores = new double[steps.length];
      Arrays.fill(scores, Double.NaN);
      int k = 0;
      for (Map<String, Double> at : byStep.values()) {
        Double v = at.get(label);
        if (v != null) {
          scores[k] = v;
        }
        k++;
      }
      lines.add(new Line(label, scores));
    }
    return new EvalHistory(steps, lines);
  }

  private static int lastNonBlank(List<String> text) {
    for (int i = text.size() - 1; i >= 0; i--) {
      if (!text.get(i).isBlank()) {
        return i;
      }
    }
    return -1;
  }

  /** The evaluated steps, increasing. */
  double[] steps() {
    return steps.clone();
  }

  /** One line per task and shot count, in order of first appearance. */
  List<Line> lines() {
    return lines;
  }
}
