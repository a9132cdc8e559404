package org.mm1lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.eval.RunEvaluation;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.report.RunReport;
import org.mm1lab.core.run.RunTraining;
import org.mm1lab.core.run.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mm1 run RUN.conf}: train, evaluate, report, in one run folder. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Train a run, evaluate the trained model and write its report.",
      "Training resumes the run folder's newest checkpoint; the evaluation covers the"
          + " configured tasks and shot counts; the report is report/index.html and report.md in"
          + " the run folder (default runs/<name>)."
    })
final class RunCommand implements Runnable {

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
    PrintWriter console = spec.commandLine().getOut();
    Assembly assembly = Plugins.assembly(spec, run);
    // The signal's scope covers the report too: a stopped run's report is refreshed before the
    // JVM is let go.
    try (StopSignal stop = new StopSignal(RunTraining.GRACE_SECONDS)) {
      RunTraining.Result trained =
          new RunTraining(assembly, console, Progress.stdoutIsTerminal())
              .train(run.file, run.overrides, out, stop, resume.resume());
      Path runDir = trained.directory().root();
      if (trained.outcome().interrupted()) {
        console.println("interrupted: not evaluated; run the same command again to continue");
        console.println("report: " + RunReport.write(runDir));
        return;
      }
      new RunEvaluation(assembly, console).evaluate(runDir, List.of(), null);
      console.println("report: " + RunReport.write(runDir));
      console.println("ask it: ./mm1 ask " + runDir + " IMAGE.png \"what colour is the circle?\"");
    }
  }
}
