package org.mm1lab.core.eval;

import java.util.List;
import java.util.Locale;

/**
 * What an evaluation measured: one result per task and shot count (and, for text-core, per
 * sub-task), as written to {@code results.json}.
 *
 * @param run the run's name
 * @param step the training step of the evaluated weights
 * @param results in the order the tasks and shot counts were configured
 * @param skipped the task and shot counts not evaluated because their prompts would not fit the
 *     sequence length, in the same order
 */
public record EvalReport(String run, long step, List<Result> results, List<Skipped> skipped) {

  public EvalReport {
    results = List.copyOf(results);
    skipped = List.copyOf(skipped);
  }

  /** A report in which every configured task and shot count was evaluated. */
  public EvalReport(String run, long step, List<Result> results) {
    this(run, step, results, List.of());
  }

  /**
   * One score.
   *
   * @param task the task ({@code caption}, {@code vqa}, {@code text-core}), or a text-core sub-task
   *     as {@code text-core/NAME}
   * @param shots in-context examples asked for
   * @param metric the metric's name ({@code CIDEr-D}, {@code VQA accuracy}, {@code exact match})
   * @param score on the 0-100 scale (CIDEr-D x100 may exceed 100)
   * @param se the standard error of {@code score} over the items scored; NaN for fewer than two
   * @param items items scored
   * @param droppedShots in-context examples left out over all items because prompts would not fit
   *     the sequence length (not part of {@code results.json}; shown in the table)
   */
  public record Result(
      String task,
      int shots,
      String metric,
      double score,
      double se,
      int items,
      long droppedShots) {}

  /**
   * A task at a shot count left out because its typical prompt cannot hold that many in-context
   * examples within the sequence length: more than half of its items would have lost examples.
   *
   * @param task the task
   * @param shots in-context examples asked for
   * @param itemsShort the items whose prompt could not hold all {@code shots} examples
   * @param items the items of the task
   * @param typical the examples the median prompt keeps within the sequence length (the lower
   *     median over the items): about the largest shot count that would be evaluated
   * @param maxLength the sequence length the prompts had to fit, answer included
   */
  public record Skipped(
      String task, int shots, int itemsShort, int items, int typical, int maxLength) {

    /** One line for the terminal: what was skipped, why, and what to change. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s %d-shot skipped: %d of %d prompts cannot hold %d in-context examples within"
              + " seq-len %d (the typical one holds %d); raise mm1.train.seq-len or lower"
              + " mm1.eval.shots",
          task,
          shots,
          itemsShort,
          items,
          shots,
          maxLength,
          typical);
    }
  }
}
