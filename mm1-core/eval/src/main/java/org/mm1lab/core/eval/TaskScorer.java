package org.mm1lab.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.eval.metrics.CiderD;
import org.mm1lab.core.eval.metrics.ExactMatch;
import org.mm1lab.core.eval.metrics.VqaAccuracy;

/**
 * Scores a task's answers with its metric, on a 0-100 scale as the paper reports them: captions
 * with CIDEr-D over the whole set (its document frequencies come from all references), VQA with the
 * mean VQA accuracy of the official script ({@link VqaAccuracy}), text tasks with the mean exact
 * match, also broken down by sub-task.
 *
 * <p>Every score is the mean of per-item scores (for CIDEr-D the corpus score is the mean of the
 * per-image scores), so each comes with its standard error over the items: how much the score would
 * move on another sample of items of the same kind. CIDEr-D's per-image scores share the corpus's
 * document frequencies and so are not quite independent; the standard error treats them as
 * independent, as is usual.
 */
public final class TaskScorer {

  /**
   * A task's score.
   *
   * @param metric the metric's name as reported
   * @param score the set's score, x100
   * @param se the standard error of {@code score} over the items (see {@link #standardError})
   * @param perItem each item's score, x100, in item order
   * @param breakdown per sub-task scores, in order of first appearance: text-core's tasks, or VQA's
   *     question types when the set names them; empty otherwise
   */
  public record Scored(
      String metric, double score, double se, double[] perItem, Map<String, SubScore> breakdown) {
    public Scored {
      breakdown = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(breakdown));
    }
  }

  /**
   * A sub-task's share of a score.
   *
   * @param score the mean over its items, x100
   * @param se the standard error of {@code score} over its items
   * @param items its items
   */
  public record SubScore(double score, double se, int items) {}

  /**
   * The standard error of the mean of {@code values}: their sample standard deviation (divisor
   * {@code n - 1}) over {@code sqrt(n)}; NaN for fewer than two values, which have no spread.
   */
  public static double standardError(double[] values) {
    int n = values.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
  }

  /** The metric a task reports. */
  public static String metric(String task) {
    return switch (task) {
      case "caption" -> "CIDEr-D";
      case "vqa" -> "VQA accuracy";
      case "text-core" -> "exact match";
      default -> throw new IllegalArgumentException("unknown task " + task);
    };
  }

  /**
   * Scores answers.
   *
   * @param task caption, vqa or text-core
   * @param items the task's items
   * @param answers the extracted answers, one per item in order
   */
  public Scored score(String task, List<EvalItem> items, List<String> answers) {
    if (items.size() != answers.size()) {
      throw new IllegalArgumentException(
          items.size() + " items but " + answers.size() + " answers");
    }
    int n = items.size();
    double[] perItem = new double[n];
    Map<String, SubScore> breakdown = new LinkedHashMap<>();
    double score;
    switch (task) {
      case "caption" -> {
        List<List<String>> references = new ArrayList<>(n);
        for (EvalItem item : items) {
          references.add(((EvalItem.Caption) item).references());
        }
        CiderD.Scores cider = n == 0 ? null : CiderD.score(answers, references);
        for (int i = 0; i < n; i++) {
          perItem[i] = 100 * cider.perItem()[i];
        }
        score = n == 0 ? 0 : 100 * cider.mean();
      }
      case "vqa" -> {
        Map<String, List<Double>> byType = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          EvalItem.Vqa item = (EvalItem.Vqa) items.get(i);
          // The raw human answers: VqaAccuracy normalises both sides exactly as the official
          // script does, which includes leaving them alone when all humans agree.
          perItem[i] = 100 * VqaAccuracy.score(answers.get(i), item.answers());
          if (!item.questionType().isEmpty()) {
            byType.computeIfAbsent(item.questionType(), k -> new ArrayList<>()).add(perItem[i]);
          }
        }
        // Per question type, as the official evaluation reports it, when the set names types.
        byType.forEach((type, scores) -> breakdown.put(type, subScore(scores)));
        score = mean(perItem);
      }
      case "text-core" -> {
        Map<String, List<Double>> bySubTask = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          EvalItem.TextTask item = (EvalItem.TextTask) items.get(i);
          perItem[i] = 100 * ExactMatch.score(answers.get(i), item.answer());
          bySubTask.computeIfAbsent(item.task(), k -> new ArrayList<>()).add(perItem[i]);
        }
        bySubTask.forEach((sub, scores) -> breakdown.put(sub, subScore(scores)));
        score = mean(perItem);
      }
      default -> throw new IllegalArgumentException("unknown task " + task);
    }
    return new Scored(metric(task), score, standardError(perItem), perItem, breakdown);
  }

  private static SubScore subScore(List<Double> scores) {
    double[] values = scores.stream().mapToDouble(Double::doubleValue).toArray();
    return new SubScore(mean(values), standardError(values), values.length);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }
}
