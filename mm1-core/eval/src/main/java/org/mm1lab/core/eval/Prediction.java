package org.mm1lab.core.eval;

import java.util.List;

/**
 * One item's outcome, a line of {@code predictions.jsonl}.
 *
 * @param task the task
 * @param shots in-context examples asked for
 * @param id the item's id
 * @param prompt the query as text ({@link Prompt#query()})
 * @param raw the continuation as generated
 * @param output the answer scored ({@link Answers#extract})
 * @param expected the references, human answers, or the expected answer
 * @param score the item's score, x100
 * @param promptTokens the prompt's length in tokens
 * @param droppedShots in-context examples left out for length
 */
public record Prediction(
    String task,
    int shots,
    String id,
    String prompt,
    String raw,
    String output,
    List<String> expected,
    double score,
    int promptTokens,
    int droppedShots) {

  public Prediction {
    expected = List.copyOf(expected);
  }
}
