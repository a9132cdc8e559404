package org.mm1lab.core.report;

import java.util.List;
import org.mm1lab.core.layout.RunLayout;

/**
 * Renders the report as one self-contained HTML page (inline style, no scripts, no network); the
 * only files it refers to are the PNGs in the same folder. All text from the run is escaped.
 */
final class HtmlPage {

  private static final String STYLE =
      String.join(
          "\n",
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;",
          "max-width:1100px;padding:0 1em;color:#222;line-height:1.4}",
          "h1{margin-bottom:.2em}",
          "h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}",
          "table{border-collapse:collapse;margin:1em 0}",
          "th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}",
          "td.num{text-align:right;font-variant-numeric:tabular-nums}",
          "tr.average td{font-weight:bold;background:#f4f4f4}",
          ".plots{display:flex;flex-wrap:wrap;gap:1em}.plots img{max-width:100%;"
              + "border:1px solid #eee}",
          "pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:.8em;overflow:auto;"
              + "white-space:pre-wrap}",
          ".example{display:flex;gap:1.2em;border:1px solid #e3e3e3;padding:.8em;margin:1em 0}",
          ".example img{width:192px;height:auto;image-rendering:pixelated;border:1px solid #ccc}",
          ".note{background:#fff8e0;border-left:4px solid #e0b000;padding:.5em .8em}",
          ".label{color:#666;font-size:.9em}");

  private HtmlPage() {}

  /** The whole page. */
  static String render(ReportContent c) {
    StringBuilder h = new StringBuilder(16_384);
    String title = "Run report: " + c.runName();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("\n</style>\n</head>\n<body>\n<h1>")
        .append(Html.escape(title))
        .append("</h1>\n");
    for (String note : c.notes()) {
      h.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
    }
    summary(h, c);
    training(h, c);
    evaluation(h, c);
    examples(h, c);
    h.append("<h2 id=\"config\">Configuration</h2>\n");
    if (c.config() == null) {
      h.append("<p>No " + RunLayout.CONFIG + " in the run directory.</p>\n");
    } else {
      h.append("<pre>").append(Html.escape(c.config())).append("</pre>\n");
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, ReportContent c) {
    h.append("<table class=\"summary\">\n");
    for (String[] fact : c.facts()) {
      h.append("<tr><th>")
          .append(Html.escape(fact[0]))
          .append("</th><td>")
          .append(Html.escape(fact[1]))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void training(StringBuilder h, ReportContent c) {
    h.append("<h2 id=\"training\">Training</h2>\n");
    if (c.metrics() == null) {
      h.append(
          "<p>No training metrics: there is no "
              + RunLayout.METRICS
              + " in the run directory.</p>\n");
      return;
    }
    if (c.plots().isEmpty()) {
      h.append("<p>" + RunLayout.METRICS + " holds no plottable values.</p>\n");
      return;
    }
    h.append("<div class=\"plots\">\n");
    for (ReportPlots.Plot p : c.plots()) {
      h.append("<figure><img src=\"")
          .append(Html.escape(p.fileName()))
          .append("\" alt=\"")
          .append(Html.escape(p.title()))
          .append("\"></figure>\n");
    }
    h.append("</div>\n");
  }

  private static void evaluation(StringBuilder h, ReportContent c) {
    h.append("<h2 id=\"evaluation\">Evaluation</h2>\n");
    if (c.eval() == null) {
      h.append("<p class=\"note\">")
          .append(Html.escape(ReportContent.NOT_EVALUATED))
          .append("</p>\n");
      return;
    }
    h.append("<p>Checkpoint at step ")
        .append(c.eval().step())
        .append(". ")
        .append(Html.escape(EvalTable.LEGEND))
        .append("</p>\n");
    EvalTable table = new EvalTable(c.eval());
    h.append("<table class=\"eval\">\n<tr><th>Task</th><th>Metric</th>");
    for (String header : table.headers()) {
      h.append("<th>").append(Html.escape(header)).append("</th>");
    }
    h.append("</tr>\n");
    for (EvalTable.Row row : table.rows()) {
      row(h, row, "");
    }
    row(h, table.average(), " class=\"average\"");
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, EvalTable.Row row, String attributes) {
    h.append("<tr")
        .append(attributes)
        .append("><td>")
        .append(Html.escape(row.task()))
        .append("</td><td>")
        .append(Html.escape(row.metric()))
        .append("</td>");
    for (String cell : row.cells()) {
      h.append("<td class=\"num\">").append(Html.escape(cell)).append("</td>");
    }
    h.append("</tr>\n");
  }

  private static void examples(StringBuilder h, ReportContent c) {
    if (c.examples().isEmpty()) {
      return;
    }
    h.append("<h2 id=\"examples\">Examples</h2>\n");
    for (ExampleImages.Shown shown : c.examples()) {
      EvalExamples.Example e = shown.example();
      h.append("<div class=\"example\">\n");
      if (shown.href() != null) {
        h.append("<img src=\"")
            .append(Html.escape(shown.href()))
            .append("\" alt=\"")
            .append(Html.escape(e.task() + " example image"))
            .append("\">\n");
      }
      h.append("<div>\n<div class=\"label\">")
          .append(Html.escape(e.task()))
          .append(", ")
          .append(e.shots())
          .append("-shot</div>\n");
      if (shown.imageProblem() != null) {
        h.append("<p class=\"note\">").append(Html.escape(shown.imageProblem())).append("</p>\n");
      }
      h.append("<div class=\"label\">Prompt</div><pre>")
          .append(Html.escape(e.prompt()))
          .append("</pre>\n<div class=\"label\">Model output</div><pre>")
          .append(Html.escape(e.output()))
          .append("</pre>\n");
      List<String> expected = e.expected();
      if (!expected.isEmpty()) {
        h.append("<div class=\"label\">Expected</div><ul>\n");
        for (String answer : expected) {
          h.append("<li>").append(Html.escape(answer)).append("</li>\n");
        }
        h.append("</ul>\n");
      }
      h.append("</div>\n</div>\n");
    }
  }
}
