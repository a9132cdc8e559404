package org.mm1lab.cli;

import java.nio.file.Path;
import org.mm1lab.core.ablate.AblationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mm1 ablate report DIR}: (re)writes an ablation's comparison from what its folder holds.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the comparison of an ablation folder from whatever results it holds.",
      "The results may come from runs of mm1 ablate or from the Slurm or Kubernetes jobs it"
          + " emitted. Writes DIR/report/index.html with charts, DIR/report.md and"
          + " DIR/report/comparison.csv; variants without results are listed as missing."
    })
final class AblateReportCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "An ablation folder.")
  Path dir;

  @Override
  public void run() {
    spec.commandLine().getOut().println("report: " + AblationReport.write(dir));
  }
}
