package org.mm1lab.core.report;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Eval;

/**
 * Writes the human-readable report of a run directory: {@code RUN_DIR/report/index.html} with the
 * training curves (interactive, drawn by a charting library inlined into the page so that it works
 * offline), the evaluation table, the examples and the configuration, the plots as PNGs beside it,
 * and a Markdown summary {@code RUN_DIR/report.md} that links the PNGs.
 *
 * <p>The run directory holds {@code run.conf}, {@code metrics.jsonl}, and after evaluation {@code
 * eval/results.json} and {@code eval/examples.json}. Any of them may be missing (a run that was
 * trained but not evaluated, or one that crashed before its first step); the report then says what
 * is missing instead of failing. Every file is written atomically, and the page last, so a crash
 * never leaves a page that refers to plots that are not there, nor half a file.
 */
public final class RunReport {

  /** The width of the training plots in pixels. */
  public static final int PLOT_WIDTH = 800;

  /** The height of the training plots in pixels. */
  public static final int PLOT_HEIGHT = 450;

  private RunReport() {}

  /**
   * Writes the report of {@code runDir}, replacing an earlier one.
   *
   * @return the path of {@code report/index.html}
   * @throws UserException when {@code runDir} is not a run directory (neither {@code run.conf} nor
   *     {@code metrics.jsonl}), when an input file is corrupt (the message names the file, and for
   *     the metrics the line), or when the report cannot be written
   */
  public static Path write(Path runDir) {
    RunLayout run = new RunLayout(runDir);
    Path configFile = run.config();
    Path metricsFile = run.metrics();
    if (!Files.isDirectory(runDir)) {
      throw new UserException(runDir + " is not a directory; give the run directory to report on");
    }
    if (!Files.isRegularFile(configFile) && !Files.isRegularFile(metricsFile)) {
      throw new UserException(
          runDir
              + " is not a run directory: it has neither "
              + RunLayout.CONFIG
              + " nor "
              + RunLayout.METRICS);
    }
    Path reportDir = run.report();
    try {
      List<String> notes = new ArrayList<>();
      String config = Files.isRegularFile(configFile) ? readConfig(configFile) : null;
      MetricsLog metrics = Files.isRegularFile(metricsFile) ? MetricsLog.read(metricsFile) : null;
      if (metrics != null && metrics.skippedTornLine()) {
        notes.add(
            "The last line of "
                + RunLayout.METRICS
                + " was cut short (the process was probably killed while writing it) and was"
                + " skipped.");
      }
      Path resultsFile = run.evalResults();
      EvalResults eval = Files.isRegularFile(resultsFile) ? EvalResults.read(resultsFile) : null;
      Path examplesFile = run.evalExamples();
      List<EvalExamples.Example> examples =
          Files.isRegularFile(examplesFile) ? EvalExamples.read(examplesFile) : List.of();

      Files.createDirectories(reportDir);
      List<ReportPlots.Plot> plots =
          metrics == null
              ? List.of()
              : ReportPlots.write(metrics, reportDir, PLOT_WIDTH, PLOT_HEIGHT);
      List<ExampleImages.Shown> shown = ExampleImages.copy(examples, run.eval(), reportDir);

      Path historyFile = run.eval().resolve(Eval.HISTORY);
      EvalHistory history =
          Files.isRegularFile(historyFile) ? EvalHistory.read(historyFile) : EvalHistory.empty();
      InteractiveCharts charts =
          metrics == null ? null : InteractiveCharts.of(metrics).evaluations(history);
      ReportContent content =
          new ReportContent(
              runName(runDir, config, eval),
              runDir.toString(),
              config,
              metrics,
              plots,
              eval,
              shown,
              notes,
              charts,
              charts == null ? null : ChartLibrary.load(),
              Files.isDirectory(run.checkpoints()));
      Path index = run.reportPage();
      AtomicFiles.writeString(index, HtmlPage.render(content));
      AtomicFiles.writeString(run.summary(), MarkdownSummary.render(content, RunLayout.REPORT));
      return index;
    } catch (IOException e) {
      throw new UserException("cannot write the report in " + reportDir + ": " + e, e);
    }
  }

  private static String readConfig(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /**
   * The run's name: from the evaluation, else {@code mm1.name} in the configuration, else the
   * directory's name.
   */
  private static String runName(Path runDir, String config, EvalResults eval) {
    if (eval != null && !eval.run().isBlank()) {
      return eval.run();
    }
    if (config != null) {
      try {
        Config parsed = ConfigFactory.parseString(config);
        if (parsed.hasPath("mm1.name")) {
          return parsed.getString("mm1.name");
        }
      } catch (ConfigException e) {
        // The page still shows the configuration verbatim; the name falls back to the folder.
      }
    }
    Path name = runDir.toAbsolutePath().normalize().getFileName();
    return name == null ? runDir.toString() : name.toString();
  }
}
