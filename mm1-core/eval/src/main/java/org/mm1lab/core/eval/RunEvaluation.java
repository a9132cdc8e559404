package org.mm1lab.core.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.io.TensorBoardWriter;
import org.mm1lab.core.layout.RunLayout.Eval;
import org.mm1lab.core.run.RunDirectory;
import org.mm1lab.core.run.TrainedModel;

/**
 * {@code mm1 eval}: reopens a trained run (or one of its checkpoints) and evaluates it on every
 * configured task and shot count, writing {@code eval/} in the run folder (or another folder). Into
 * the run folder it writes as its one writer (see {@link RunDirectory#lock}): while a training
 * writes the folder, it is refused, and an evaluation elsewhere ({@code --out}) is not.
 *
 * <p>Output. Everything written to {@code out} is the command's progress and result: what is
 * evaluated, a line per task and shot count as it finishes (or a warning line when its prompts do
 * not fit the sequence length and it is skipped), the results table (in-context examples dropped
 * for length are a column of it) and where the results went (with {@code mm1.train.tensorboard},
 * the scores are also added to the TensorBoard events, see {@link EvalScalars}). Nothing here is a
 * diagnostic, so nothing is logged.
 */
public final class RunEvaluation {

  private final Assembly assembly;
  private final PrintWriter out;

  /**
   * @param assembly plugins and the config loader
   * @param out where progress and the results table go
   */
  public RunEvaluation(Assembly assembly, PrintWriter out) {
    this.assembly = assembly;
    this.out = out;
  }

  /**
   * Evaluates.
   *
   * @param path a run folder (its newest checkpoint) or a checkpoint folder
   * @param overrides {@code --set} overrides on the run's stored configuration, e.g. {@code
   *     mm1.eval.items=50}
   * @param outDir where results go, or null for the run folder's {@code eval/}
   * @return the scores and the run folder they belong to
   */
  public Result evaluate(Path path, List<String> overrides, Path outDir) {
    // Results written into the run folder make this a writer of it; elsewhere, a reader.
    RunDirectory directory = outDir == null ? TrainedModel.directoryOf(path) : null;
    try (FolderLock lock = directory == null ? null : directory.lock("mm1 eval");
        EvalModel model = EvalModel.open(assembly, path, overrides)) {
      TrainedModel trained = model.trained();
      EvalSettings settings = model.settings();
      Evaluator evaluator = model.evaluator();
      Path target = outDir != null ? outDir : trained.directory().evalDir();
      String name = trained.plan().run().name();
      out.printf(
          "evaluating %s (step %d) on %s at %s shots, %d items each%n",
          trained.checkpoint(),
          trained.step(),
          settings.tasks(),
          settings.shots(),
          settings.items());
      long start = System.nanoTime();
      if (directory != null) {
        directory.changed();
      }
      EvalReport report =
          evaluator.run(
              name,
              trained.step(),
              target,
              result -> {
                out.printf(
                    Locale.ROOT,
                    "  %-22s %d-shot  %-13s %6.1f  se %-5s  (%.0fs)%n",
                    result.task(),
                    result.shots(),
                    result.metric(),
                    result.score(),
                    ResultsTable.se(result.se()),
                    (System.nanoTime() - start) / 1e9);
                out.flush();
              },
              skipped -> {
                out.println("  warning: " + skipped.describe());
                out.flush();
              });
      out.println();
      out.print(ResultsTable.render(report));
      out.println("results: " + target.resolve(Eval.RESULTS));
      if (trained.plan().train().tensorBoard()) {
        Path root = outDir != null ? outDir : trained.directory().root();
        out.println(
            "TensorBoard: " + EvalScalars.write(root.resolve(TensorBoardWriter.FOLDER), report));
      }
      return new Result(report, trained.directory());
    }
  }

  /**
   * An evaluation's scores.
   *
   * @param report the scores per task and shot count
   * @param directory the evaluated run's folder
   */
  public record Result(EvalReport report, RunDirectory directory) {}
}
