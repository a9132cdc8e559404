package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Map;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * The comparison in Markdown ({@code report.md} in the ablation folder), ready to paste into a
 * paper draft: the summary, a table per shot count, a table per task and shot count, the missing
 * runs, and how to reproduce each variant.
 */
final class ComparisonMarkdown {

  /** The comparison page, relative to the ablation folder where this file lies. */
  private static final String PAGE = RunLayout.REPORT + "/" + RunLayout.Report.PAGE;

  /** The numbers, likewise. */
  private static final String CSV = RunLayout.REPORT + "/" + Ablation.COMPARISON;

  private ComparisonMarkdown() {}

  static String render(Comparison c, List<ComparisonCharts.Chart> charts) {
    StringBuilder md = new StringBuilder(8192);
    md.append("# Ablation: ").append(inline(c.plan().name())).append("\n\n");
    if (!c.plan().description().isBlank()) {
      md.append(inline(c.plan().description())).append("\n\n");
    }
    for (String fact : ComparisonPage.facts(c)) {
      md.append("- ").append(inline(fact)).append('\n');
    }
    md.append("\nFull report with charts: [" + PAGE + "](" + PAGE + "); all numbers: ")
        .append("[" + CSV + "](" + CSV + ")\n\n");
    table(md, ComparisonTables.summary(c), "##");
    for (ComparisonTables.Table t : ComparisonTables.byShots(c)) {
      table(md, t, "##");
    }
    md.append("## Per task\n\n");
    for (ComparisonTables.Table t : ComparisonTables.perTask(c)) {
      table(md, t, "###");
    }
    missing(md, c.data().missing());
    md.append(StageSummary.markdown(c.data()));
    md.append("## Charts\n\n");
    for (ComparisonCharts.Chart chart : charts) {
      md.append("- [")
          .append(inline(chart.title()))
          .append("](" + RunLayout.REPORT + "/")
          .append(chart.fileName())
          .append(")\n");
    }
    md.append('\n');
    table(md, ComparisonTables.overrides(c), "##");
    md.append("Each variant's run file is `variants/<variant>/variant.conf`; to rerun one: ")
        .append("`mm1 run variants/<variant>/variant.conf --out variants/<variant>`. ")
        .append("The grid and base files are kept as `grid.conf` and `base.conf`.\n");
    return md.toString();
  }

  private static void missing(StringBuilder md, Map<String, String> missing) {
    md.append("## Missing results\n\n");
    if (missing.isEmpty()) {
      md.append("None: every run has its results.\n\n");
      return;
    }
    for (Map.Entry<String, String> e : missing.entrySet()) {
      md.append("- ")
          .append(inline(e.getKey()))
          .append(": ")
          .append(inline(e.getValue()))
          .append('\n');
    }
    md.append('\n');
  }

  private static void table(StringBuilder md, ComparisonTables.Table t, String level) {
    md.append(level).append(' ').append(inline(t.title())).append("\n\n");
    if (!t.note().isEmpty()) {
      md.append(inline(t.note())).append("\n\n");
    }
    md.append('|');
    for (String h : t.headers()) {
      md.append(' ').append(cell(h)).append(" |");
    }
    md.append("\n|");
    for (int i = 0; i < t.headers().size(); i++) {
      md.append(i == 0 || t.title().startsWith("Variants and") ? "---|" : "---:|");
    }
    md.append('\n');
    for (int r = 0; r < t.rows().size(); r++) {
      md.append('|');
      for (String value : t.rows().get(r)) {
        String text = cell(value);
        md.append(' ')
            .append(r == t.baselineRow() && !text.isEmpty() ? "**" + text + "**" : text)
            .append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static String cell(String text) {
    return inline(text).replace("|", "\\|");
  }

  private static String inline(String text) {
    return text.replace("\r", " ").replace("\n", " ").replaceAll("([\\\\`*_\\[\\]<>])", "\\\\$1");
  }
}
