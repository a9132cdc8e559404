package org.mm1lab.core.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mm1lab.core.io.TensorBoardWriter;

/**
 * Adds an evaluation's scores to a run's TensorBoard events, at the step of the evaluated weights:
 * one scalar per task and shot count, tagged {@code eval/TASK/N-shot} (a text-core sub-task as
 * {@code eval/text-core/NAME/N-shot}), on the 0-100 scale of {@code results.json}. The scores go to
 * a new event file beside the training's, whose events stay as they are.
 */
final class EvalScalars {

  private EvalScalars() {}

  /**
   * Writes {@code report}'s scores into {@code folder} (a {@code tensorboard/} folder).
   *
   * @return the event file written
   */
  static Path write(Path folder, EvalReport report) {
    Map<String, Float> values = new LinkedHashMap<>();
    for (EvalReport.Result r : report.results()) {
      values.put("eval/" + r.task() + "/" + r.shots() + "-shot", (float) r.score());
    }
    try (TensorBoardWriter writer = TensorBoardWriter.adding(folder)) {
      writer.scalars(report.step(), values);
      return writer.file();
    }
  }
}
