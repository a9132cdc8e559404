package org.mm1lab.core.report;

import org.mm1lab.core.layout.RunLayout.Report;

/**
 * Renders the short Markdown summary that sits next to the run ({@code RUN_DIR/report.md}): the
 * facts, the evaluation table, and links to the plots and the full page in {@code report/}.
 */
final class MarkdownSummary {

  private MarkdownSummary() {}

  /**
   * The summary.
   *
   * @param reportFolder the report folder's name relative to the Markdown file, for links
   */
  static String render(ReportContent c, String reportFolder) {
    StringBuilder md = new StringBuilder(4096);
    md.append("# Run report: ").append(inline(c.runName())).append("\n\n");
    for (String note : c.notes()) {
      md.append("> ").append(inline(note)).append("\n\n");
    }
    for (String[] fact : c.facts()) {
      md.append("- **").append(inline(fact[0])).append(":** ").append(inline(fact[1])).append('\n');
    }
    md.append("\nFull report: [")
        .append(reportFolder)
        .append('/')
        .append(Report.PAGE)
        .append("](")
        .append(reportFolder)
        .append('/')
        .append(Report.PAGE)
        .append(")\n\n## Evaluation\n\n");
    if (c.eval() == null) {
      md.append(ReportContent.NOT_EVALUATED).append("\n\n");
    } else {
      table(md, new EvalTable(c.eval()));
      md.append(inline(EvalTable.LEGEND)).append("\n\n");
    }
    md.append("## Plots\n\n");
    if (c.plots().isEmpty()) {
      md.append("No training curves.\n");
    } else {
      md.append(
          "Each line is the logged values (means over each logging interval); a light, wide band"
              + " under it is its centred moving average. The full report draws the same curves"
              + " with zoom, hover and a log-scale switch.\n\n");
    }
    for (ReportPlots.Plot p : c.plots()) {
      md.append("- [")
          .append(inline(p.title()))
          .append("](")
          .append(reportFolder)
          .append('/')
          .append(p.fileName())
          .append(")\n");
    }
    return md.toString();
  }

  private static void table(StringBuilder md, EvalTable table) {
    md.append("| Task | Metric |");
    for (String header : table.headers()) {
      md.append(' ').append(cell(header)).append(" |");
    }
    md.append("\n|---|---|");
    md.append("---:|".repeat(table.headers().size()));
    md.append('\n');
    for (EvalTable.Row row : table.rows()) {
      row(md, row, false);
    }
    for (EvalTable.Row average : table.averages()) {
      row(md, average, true);
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, EvalTable.Row row, boolean bold) {
    String task = cell(row.task());
    md.append("| ").append(bold ? "**" + task + "**" : task).append(" | ");
    md.append(cell(row.metric())).append(" |");
    for (String value : row.cells()) {
      md.append(' ').append(bold ? "**" + cell(value) + "**" : cell(value)).append(" |");
    }
    md.append('\n');
  }

  /** Text for a table cell: a pipe would end the cell, a newline the row. */
  private static String cell(String text) {
    return inline(text).replace("|", "\\|");
  }

  /** Text on one line, with the characters that start Markdown markup escaped. */
  private static String inline(String text) {
    return text.replace("\r", " ").replace("\n", " ").replaceAll("([\\\\`*_\\[\\]<>])", "\\\\$1");
  }
}
