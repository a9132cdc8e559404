package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * The comparison as one HTML page ({@code report/index.html}): facts, the summary and per-shot
 * tables, the charts, the per-task tables, the missing runs, and for reproducibility the grid file,
 * the base run file and each variant's overrides.
 */
final class ComparisonPage {

  private static final String STYLE =
      String.join(
          "\n",
          "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}",
          "table{border-collapse:collapse;margin:.8em 0}",
          "th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left}",
          "td.num{text-align:right;font-variant-numeric:tabular-nums}",
          "tr.baseline td{font-weight:bold;background:#f4f4f4}",
          ".charts{display:flex;flex-wrap:wrap;gap:1em}.charts img{max-width:100%;border:1px solid"
              + " #eee}",
          "pre{background:#f7f7f7;border:1px solid"
              + " #e3e3e3;padding:.8em;overflow:auto;white-space:pre-wrap}",
          ".note{background:#fff8e0;border-left:4px solid #e0b000;padding:.5em .8em}",
          "details{margin:1em 0}summary{cursor:pointer;font-weight:bold}");

  private ComparisonPage() {}

  /** The facts under the title, shared with the Markdown report. */
  static List<String> facts(Comparison c) {
    AblationPlan p = c.plan();
    List<String> facts = new ArrayList<>();
    int groups = c.groups().size();
    facts.add(
        groups
            + " variants"
            + (p.seeds().isEmpty() ? "" : " x " + p.seeds().size() + " seeds " + p.seeds())
            + " = "
            + p.runs().size()
            + " runs; "
            + (p.runs().size() - c.data().missing().size())
            + " with results");
    facts.add("Baseline: " + p.baseline());
    facts.add(
        "Grid file: "
            + p.gridFile()
            + " (copy: grid.conf); base run: "
            + p.baseFile()
            + " (copy: base.conf)");
    facts.addAll(ComparisonTables.legend());
    return facts;
  }

  static String render(
      Comparison c, List<ComparisonCharts.Chart> charts, String grid, String base) {
    StringBuilder h = new StringBuilder(32_768);
    String title = "Ablation: " + c.plan().name();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("\n</style>\n</head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n");
    if (!c.plan().description().isBlank()) {
      h.append("<p>").append(escape(c.plan().description())).append("</p>\n");
    }
    h.append("<ul>\n");
    for (String fact : facts(c)) {
      h.append("<li>").append(escape(fact)).append("</li>\n");
    }
    h.append("<li>All numbers: <a href=\"")
        .append(Ablation.COMPARISON)
        .append("\">")
        .append(Ablation.COMPARISON)
        .append("</a></li>\n</ul>\n");
    table(h, ComparisonTables.summary(c), "h2");
    for (ComparisonTables.Table t : ComparisonTables.byShots(c)) {
      table(h, t, "h2");
    }
    h.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
    for (ComparisonCharts.Chart chart : charts) {
      h.append("<figure><img src=\"")
          .append(escape(chart.fileName()))
          .append("\" alt=\"")
          .append(escape(chart.title()))
          .append("\"></figure>\n");
    }
    h.append("</div>\n<h2>Per task</h2>\n");
    for (ComparisonTables.Table t : ComparisonTables.perTask(c)) {
      table(h, t, "h3");
    }
    h.append("<h2>Missing results</h2>\n");
    Map<String, String> missing = c.data().missing();
    if (missing.isEmpty()) {
      h.append("<p>None: every run has its results.</p>\n");
    } else {
      h.append("<ul class=\"note\">\n");
      missing.forEach(
          (run, why) ->
              h.append("<li>")
                  .append(escape(run))
                  .append(": ")
                  .append(escape(why))
                  .append("</li>\n"));
      h.append("</ul>\n");
    }
    h.append(StageSummary.html(c.data()));
    h.append("<h2>Reproducibility</h2>\n");
    table(h, ComparisonTables.overrides(c), "h3");
    h.append("<p>Each variant runs <code>mm1 run variants/&lt;variant&gt;/variant.conf --out")
        .append(" variants/&lt;variant&gt;</code>; its report is <code>variants/&lt;variant&gt;/")
        .append("report/index.html</code>.</p>\n")
        // Folded: the files are for reproducing the study, and would otherwise make the page
        // several screens longer than its results.
        .append("<details>\n<summary>Grid file</summary>\n<pre>")
        .append(escape(grid))
        .append("</pre>\n</details>\n<details>\n<summary>Base run file</summary>\n<pre>")
        .append(escape(base))
        .append("</pre>\n</details>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void table(StringBuilder h, ComparisonTables.Table t, String heading) {
    h.append('<')
        .append(heading)
        .append('>')
        .append(escape(t.title()))
        .append("</")
        .append(heading)
        .append(">\n");
    if (!t.note().isEmpty()) {
      h.append("<p>").append(escape(t.note())).append("</p>\n");
    }
    h.append("<table>\n<tr>");
    for (String header : t.headers()) {
      h.append("<th>").append(escape(header)).append("</th>");
    }
    h.append("</tr>\n");
    for (int r = 0; r < t.rows().size(); r++) {
      h.append(r == t.baselineRow() ? "<tr class=\"baseline\">" : "<tr>");
      List<String> row = t.rows().get(r);
      for (int i = 0; i < row.size(); i++) {
        h.append(i == 0 ? "<td>" : "<td class=\"num\">").append(escape(row.get(i))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** Text for HTML content and attribute values. */
  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
