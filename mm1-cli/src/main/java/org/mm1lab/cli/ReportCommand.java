package org.mm1lab.cli;

import java.nio.file.Path;
import org.mm1lab.core.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 report RUN_DIR}: (re)writes a run folder's report from what the folder holds. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a run folder's report.",
      "Writes report/index.html (configuration, loss and learning-rate plots, the"
          + " evaluation table, example images with the model's outputs) and report.md."
    })
final class ReportCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder.")
  Path runDir;

  @Override
  public void run() {
    Path page = RunReport.write(runDir);
    spec.commandLine().getOut().println("report: " + page);
  }
}
