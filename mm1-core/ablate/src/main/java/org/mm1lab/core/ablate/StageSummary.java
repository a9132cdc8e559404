package org.mm1lab.core.ablate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.report.MetricsLog;

/**
 * The encoder pretraining stages on the comparison: per stage its pretraining loss (first and last
 * logged), steps, source and seed, and the variants that load its encoder; empty for an ablation
 * without stages.
 */
final class StageSummary {

  private static final List<String> HEADERS =
      List.of("Stage", "Source", "Seed", "Steps", "First loss", "Last loss", "Used by");

  private StageSummary() {}

  /** One row per stage, cells as shown. */
  static List<List<String>> rows(AblationResults data) {
    List<List<String>> rows = new ArrayList<>();
    AblationPlan plan = data.plan();
    AblationFolder folder = data.folder();
    for (AblationPlan.Stage stage : plan.stages()) {
      Set<String> groups = new LinkedHashSet<>();
      for (AblationPlan.Run run : plan.runs()) {
        if (stage.name().equals(run.stage())) {
          groups.add(run.group());
        }
      }
      String steps = Integer.toString(stage.steps());
      String firstLoss = "";
      String lastLoss = "";
      if (folder != null && folder.stageComplete(stage.name())) {
        MetricsLog log = read(folder.stageMetrics(stage.name()));
        if (log != null && log.size() > 0) {
          firstLoss = number(log.loss()[0]);
          lastLoss = number(log.loss()[log.size() - 1]);
        }
      } else {
        steps +=
            folder != null && Files.isRegularFile(folder.stageLog(stage.name()))
                ? " (not finished; see its log.txt)"
                : " (not run)";
      }
      rows.add(
          List.of(
              stage.name(),
              stage.source(),
              Long.toString(stage.seed()),
              steps,
              firstLoss,
              lastLoss,
              String.join(", ", groups)));
    }
    return rows;
  }

  /** The stages as a Markdown section; empty without stages. */
  static String markdown(AblationResults data) {
    if (data.plan().stages().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## Encoder pretraining stages\n\n");
    md.append(note()).append("\n\n|");
    HEADERS.forEach(h -> md.append(' ').append(h).append(" |"));
    md.append("\n|");
    HEADERS.forEach(h -> md.append(h.endsWith("loss") || h.equals("Steps") ? "---:|" : "---|"));
    md.append('\n');
    for (List<String> row : rows(data)) {
      md.append('|');
      row.forEach(
          cell -> md.append(' ').append(cell.replace("|", "\\|").replace("_", "\\_")).append(" |"));
      md.append('\n');
    }
    return md.append('\n').toString();
  }

  /** The stages as an HTML section; empty without stages. */
  static String html(AblationResults data) {
    if (data.plan().stages().isEmpty()) {
      return "";
    }
    StringBuilder h = new StringBuilder("<h2>Encoder pretraining stages</h2>\n<p>");
    h.append(ComparisonPage.escape(note())).append("</p>\n<table>\n<tr>");
    HEADERS.forEach(x -> h.append("<th>").append(ComparisonPage.escape(x)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows(data)) {
      h.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        h.append(i == 0 || i == row.size() - 1 || i == 1 ? "<td>" : "<td class=\"num\">")
            .append(ComparisonPage.escape(row.get(i)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  private static String note() {
    return "Each variant's encoder was pretrained alone first (mm1 pretrain-encoder) and its run"
        + " loads the result; variants with the same encoder, pretraining, data and stage seed"
        + " share one stage. Losses are the first and last logged (each the mean since the"
        + " previous line); stage folders are stages/<stage>/.";
  }

  /** {@code loss A -> B over N steps} for a stage's metrics, for progress lines. */
  static String lossLine(Path metrics) {
    MetricsLog log = read(metrics);
    if (log == null || log.size() == 0) {
      return "no loss logged";
    }
    return String.format(
        Locale.ROOT,
        "loss %s -> %s over %d steps",
        number(log.loss()[0]),
        number(log.loss()[log.size() - 1]),
        log.lastStep().orElse(0));
  }

  private static MetricsLog read(Path metrics) {
    if (!Files.isRegularFile(metrics)) {
      return null;
    }
    try {
      return MetricsLog.read(metrics);
    } catch (UserException e) {
      return null;
    }
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
  }
}
