package org.mm1lab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.eval.EvalSettings;
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
      "Evaluate a trained model on the configured tasks and shot counts.",
      "RUN_DIR|CHECKPOINT is a run folder (its newest checkpoint is evaluated) or one checkpoint"
          + " folder. The tasks are captioning (CIDEr-D), VQA (VQA accuracy) and the text-only"
          + " tasks (exact match), as mm1.eval of the run sets them unless --tasks, --shots or"
          + " --limit say otherwise. Writes results.json, examples.json and predictions.jsonl to"
          + " the run's eval/ folder and refreshes its report."
    })
final class EvalCommand implements Runnable {

  /** The most in-context examples, as {@code mm1.eval.shots} allows. */
  private static final int MAX_SHOTS = 1024;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "What to evaluate.")
  Path path;

  @Option(
      names = "--tasks",
      paramLabel = "TASK",
      split = ",",
      description =
          "Only these tasks, in this order, comma-separated: caption, vqa, text-core (default:"
              + " the run's mm1.eval.tasks).")
  List<String> tasks;

  @Option(
      names = "--shots",
      paramLabel = "N",
      split = ",",
      description =
          "In-context example counts, comma-separated, e.g. 0,4,8 (default: the run's"
              + " mm1.eval.shots).")
  List<Integer> shots;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Items per task: the first N of each set (default: the run's mm1.eval.items).")
  Integer limit;

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description =
          "Override a setting of the run, e.g. --set mm1.eval.batch-size=4 (repeatable); --tasks,"
              + " --shots and --limit win over it.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write the results here instead of the run folder's eval/ (no report then).")
  Path out;

  @Override
  public void run() {
    List<String> settings = settings();
    Assembly assembly =
        Plugins.assembly(spec, TrainedModel.directoryOf(path).configFile(), settings);
    RunEvaluation.Result result =
        new RunEvaluation(assembly, spec.commandLine().getOut()).evaluate(path, settings, out);
    if (out == null) {
      Path page = RunReport.write(result.directory().root());
      spec.commandLine().getOut().println("report: " + page);
    }
  }

  /** The {@code --set} overrides, then the mm1.eval settings the options stand for, checked. */
  List<String> settings() {
    List<String> settings = new ArrayList<>(overrides);
    if (tasks != null) {
      settings.add("mm1.eval.tasks=" + hoconList(checkedTasks()));
    }
    if (shots != null) {
      settings.add("mm1.eval.shots=" + hoconList(checkedShots()));
    }
    if (limit != null) {
      if (limit < 1) {
        throw new UserException("--limit " + limit + ": give at least 1 item per task");
      }
      settings.add("mm1.eval.items=" + limit);
    }
    return settings;
  }

  private List<String> checkedTasks() {
    String given = "--tasks " + String.join(",", tasks);
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String raw : tasks) {
      String task = raw.strip();
      if (!EvalSettings.TASKS.contains(task)) {
        String hint =
            Suggestions.closest(task, EvalSettings.TASKS)
                .map(s -> "; did you mean " + s + "?")
                .orElse("");
        throw new UserException(
            given
                + ": unknown task '"
                + task
                + "'; known: "
                + String.join(", ", EvalSettings.TASKS)
                + hint);
      }
      if (!seen.add(task)) {
        throw new UserException(given + ": " + task + " is named twice");
      }
      out.add(task);
    }
    return out;
  }

  private List<Integer> checkedShots() {
    String given =
        "--shots " + shots.stream().map(String::valueOf).collect(Collectors.joining(","));
    Set<Integer> seen = new HashSet<>();
    for (int count : shots) {
      if (count < 0 || count > MAX_SHOTS) {
        throw new UserException(
            given + ": a shot count is 0 to " + MAX_SHOTS + " in-context examples, not " + count);
      }
      if (!seen.add(count)) {
        throw new UserException(given + ": " + count + " is named twice");
      }
    }
    return shots;
  }

  private static String hoconList(List<?> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
