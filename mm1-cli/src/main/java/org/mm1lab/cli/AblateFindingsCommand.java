package org.mm1lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.ablate.findings.FindingResult;
import org.mm1lab.core.ablate.findings.FindingsDocument;
import org.mm1lab.core.ablate.findings.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mm1 ablate findings DIR...}: measures the MM1 paper's findings on the shipped grids'
 * folders and writes them as one Markdown document with a chart per finding.
 */
@Command(
    name = "findings",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the MM1 paper's findings on ablation folders and write them as one document.",
      "The findings file says, for each finding, what the paper claimed, which grid measures it"
          + " (by its ablation.json name) and how: two sides of runs (a variant, or every variant"
          + " at given axis levels, averaged over the other axes), a measure (the average over"
          + " tasks, a task, or a mean of tasks) at shot counts, and the direction the paper found;"
          + " or an order of such effects, or a variant's rank.",
      "Each effect is side a minus side b with its 95%% interval over seeds (paired by seed when"
          + " both sides have the same seeds, Welch's otherwise). Verdict: reproduced when the"
          + " interval excludes 0 in the paper's direction, reversed when it excludes 0 the other"
          + " way, within noise when it covers 0; not measured, with the reason, when a grid's"
          + " folder is missing, a shot count was not evaluated or a side has fewer than 2 seeds.",
      "Writes OUT with a summary table, a section per finding (the paper's claim and numbers,"
          + " the measured table, a chart in the folder beside OUT named after it, such as"
          + " docs/findings/<id>.png, and the investigation from the findings file), and each"
          + " grid's commands, wall time and machine from its timing.json. A finding that did"
          + " not reproduce and has no investigation gets a warning and 'investigation pending'."
    })
final class AblateFindingsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      defaultValue = "examples/ablations/findings.conf",
      description = "The findings file (HOCON; default ${DEFAULT-VALUE}).")
  Path specFile;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "docs/findings.md",
      description = "The document to write (default ${DEFAULT-VALUE}).")
  Path out;

  @Parameters(
      index = "0",
      arity = "1..*",
      paramLabel = "DIR",
      description = "Ablation folders, e.g. runs/ablations/*; each is known by its grid's name.")
  List<Path> dirs = new ArrayList<>();

  @Override
  public void run() {
    FindingsDocument.Written written = FindingsDocument.write(specFile, dirs, out);
    PrintWriter err = spec.commandLine().getErr();
    for (String warning : written.warnings()) {
      err.println("mm1: warning: " + warning);
    }
    err.flush();
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (FindingResult r : written.results()) {
      r.verdicts().forEach(v -> counts.merge(v, 1, Integer::sum));
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((v, n) -> parts.add(n + " " + v.label()));
    PrintWriter console = spec.commandLine().getOut();
    console.println(
        "findings: "
            + written.document()
            + " ("
            + written.results().size()
            + " findings, "
            + written.charts().size()
            + " charts; rows: "
            + String.join(", ", parts)
            + ")");
  }
}
