package org.mm1lab.core.eval;

import java.util.List;

/**
 * What an evaluation measured: one result per task and shot count (and, for text-core, per
 * sub-task), as written to {@code results.json}.
 *
 * @param run the run's name
 * @param step the training step of the evaluated weights
 * @param results in the order the tasks and shot counts were configured
 */
public record EvalReport(String run, long step, List<Result> results) {

  public EvalReport {
    results = List.copyOf(results);
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
}
