package org.mm1lab.cli;

import java.nio.file.Path;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.report.RunReport;
import org.mm1lab.core.run.RunTraining;
import org.mm1lab.core.run.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mm1 train RUN.conf}: trains a run into its folder, resuming it if it has checkpoints. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the model a run file describes.",
      "The run folder (default runs/<name>) gets the resolved run.conf, metrics.jsonl and"
          + " checkpoints/; a folder with checkpoints is resumed from its newest one with the"
          + " same data order. Ctrl-C or SIGTERM stops at the next step with a checkpoint. The"
          + " progress line shows the loss, the learning rate, the throughput, the time elapsed"
          + " and an estimate of the time left from the speed of the last 30 seconds."
    })
final class TrainCommand implements Runnable {

  @Spec CommandSpec spec;
  @Mixin RunFileOptions run;
  @Mixin ResumeOptions resume;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The run folder (default runs/<name>).")
  Path out;

  @Override
  public void run() {
    Assembly assembly = Plugins.assembly(spec, run);
    // The signal's scope covers the report too: a stopped run's report is refreshed before the
    // JVM is let go.
    try (StopSignal stop = new StopSignal(RunTraining.GRACE_SECONDS)) {
      RunTraining.Result result =
          new RunTraining(assembly, spec.commandLine().getOut(), Progress.stdoutIsTerminal())
              .train(run.file, run.overrides, out, stop, resume.resume());
      spec.commandLine()
          .getOut()
          .printf(
              "trained to step %d; run folder %s%n",
              result.outcome().step(), result.directory().root());
      spec.commandLine().getOut().println("report: " + RunReport.write(result.directory().root()));
    }
  }
}
