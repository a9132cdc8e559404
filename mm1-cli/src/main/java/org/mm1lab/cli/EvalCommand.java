package org.mm1lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.eval.RunEvaluation;
import org.mm1lab.core.report.RunReport;
import org.mm1lab.core.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 eval RUN_DIR|CHECKPOINT}: scores a trained model on the configured tasks. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a trained run (its newest checkpoint) or one checkpoint folder: captioning",
      "(CIDEr-D), VQA (VQA accuracy) and the text-only tasks, at each configured shot count.",
      "Writes results.json, examples.json and predictions.jsonl to the run's eval/ folder and",
      "refreshes its report."
    })
final class EvalCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "What to evaluate.")
  Path path;

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description = "Override a setting of the run, e.g. --set mm1.eval.items=50 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write the results here instead of the run folder's eval/ (no report then).")
  Path out;

  @Override
  public void run() {
    Assembly assembly =
        Plugins.assembly(spec, TrainedModel.directoryOf(path).configFile(), overrides);
    RunEvaluation.Result result =
        new RunEvaluation(assembly, spec.commandLine().getOut()).evaluate(path, overrides, out);
    if (out == null) {
      Path page = RunReport.write(result.directory().root());
      spec.commandLine().getOut().println("report: " + page);
    }
  }
}
