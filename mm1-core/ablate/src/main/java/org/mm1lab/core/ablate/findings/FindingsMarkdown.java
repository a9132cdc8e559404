package org.mm1lab.core.ablate.findings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mm1lab.core.ablate.Stats;

/**
 * The findings document in Markdown: a summary table (finding, the paper's numbers, the measured
 * effect with its interval, the verdict), how the verdicts are made, one section per finding (the
 * paper's claim and numbers, what was compared, the measured table, the chart, and the
 * investigation written by a person, or a visible "investigation pending" where one is due), and
 * one section per grid with its commands, wall time and machine.
 */
final class FindingsMarkdown {

  private FindingsMarkdown() {}

  /**
   * Renders the document.
   *
   * @param spec the findings file
   * @param results the measured findings, in the file's order
   * @param grids the grids' folders by name
   * @param charts each chart's path relative to the document, by finding id
   * @param cwd the working folder, against which paths are shown
   */
  static String render(
      FindingsSpec spec,
      List<FindingResult> results,
      Map<String, MeasuredGrid> grids,
      Map<String, String> charts,
      Path cwd) {
    StringBuilder md = new StringBuilder(32_768);
    md.append("# MM1's findings, measured with MM1 Lab\n\n");
    md.append("Written by `mm1 ablate findings` from `")
        .append(GridProvenance.display(spec.file(), cwd))
        .append("` (what the paper claimed and how each claim is measured) and the ablation")
        .append(" folders of its grids (see [Grids](#grids)); run it again to rewrite every")
        .append(" number here. The grids are the paper's ablations at laptop scale (a small model")
        .append(" on MM1 Lab's synthetic world), so a verdict says whether the paper's direction")
        .append(" shows up at this scale, not whether the paper was right.\n\n");
    summary(md, results);
    rules(md);
    for (FindingResult r : results) {
      finding(md, spec, r, grids.get(r.finding().grid()), charts.get(r.finding().id()), cwd);
    }
    md.append("<a id=\"grids\"></a>\n\n## Grids\n\n");
    md.append(
        "Each grid's wall time is the sum of the wall times of the `mm1 ablate` sessions that ran"
            + " its children, as its `timing.json` records them: a resumed grid adds a session,"
            + " sessions never overlap (one `mm1 ablate` holds a folder at a time), the time"
            + " between sessions is not counted, and a session killed before it recorded its end"
            + " counts up to its last record (written every minute). Runs made by cluster jobs are"
            + " not timed.\n\n");
    List<String> listed = new ArrayList<>();
    for (Finding f : spec.findings()) {
      if (!listed.contains(f.grid())) {
        listed.add(f.grid());
        MeasuredGrid g = grids.get(f.grid());
        if (g == null) {
          md.append("<a id=\"")
              .append(GridProvenance.anchor(f.grid()))
              .append("\"></a>\n\n### Grid ")
              .append(f.grid())
              .append("\n\nNo folder was given for it: its findings are not measured. Run it with ")
              .append("`./mm1 ablate ")
              .append(GridProvenance.display(spec.grids().get(f.grid()).file(), cwd))
              .append("`, then give its folder to `mm1 ablate findings`.\n\n");
        } else {
          md.append(GridProvenance.markdown(g, cwd));
        }
      }
    }
    return md.toString();
  }

  private static void summary(StringBuilder md, List<FindingResult> results) {
    md.append("## Summary\n\n");
    md.append(
        "| Finding | Paper | Measure | Shots | Measured: \u0394 \u00b1 95% half-width | Verdict |\n");
    md.append("|---|---|---|---:|---:|---|\n");
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (FindingResult r : results) {
      Finding f = r.finding();
      for (FindingResult.Row row : r.table().rows()) {
        counts.merge(row.verdict(), 1, Integer::sum);
        md.append("| [")
            .append(cell(f.title()))
            .append("](#")
            .append(f.id())
            .append(") | ")
            .append(cell(f.paper().numbers()))
            .append(" | ")
            .append(cell(measure(f)))
            .append(" | ")
            .append(row.shots().isEmpty() ? Stats.MISSING : row.shots())
            .append(" | ")
            .append(cell(row.measured()))
            .append(" | ")
            .append(
                row.verdict() == Verdict.REPRODUCED
                    ? "**" + row.verdict().label() + "**"
                    : row.verdict().label())
            .append(" |\n");
      }
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((v, n) -> parts.add(n + " " + v.label()));
    md.append("\nRows: ").append(String.join(", ", parts)).append(".\n\n");
  }

  private static void rules(StringBuilder md) {
    md.append("## How the verdicts are made\n\n");
    md.append(
        String.join(
            "\n",
            "- Each side's value for a seed is the mean of its variants' values at that seed (one"
                + " variant, or every variant at the given axis levels: for a factorial grid, the"
                + " mean over the other axes' levels). A seed counts only where every variant of"
                + " the side has results for it.",
            "- \u0394 is side a minus side b with its 95% interval over seeds: Student's t on the"
                + " per-seed differences when both sides have the same seeds (paired), Welch's"
                + " interval otherwise. A side with fewer than 2 seeds gives no interval, and the"
                + " row is not measured; no verdict is made up.",
            "- The paper found a higher: **reproduced** when the interval lies above 0,"
                + " **reversed** when it lies below 0, **within noise** when it covers 0.",
            String.format(
                Locale.ROOT,
                "- The paper found little effect: **reproduced** when the interval covers 0, or"
                    + " when |\u0394| is at most %.0f%% of the smallest |\u0394| among the effects"
                    + " it is compared with at that shot count; **not reproduced** otherwise.",
                ContrastCheck.LITTLE * 100),
            "- An ordering of effects (largest first): each neighbouring pair's per-seed effects"
                + " are subtracted seed by seed; **reproduced** when every pair's interval lies"
                + " above 0, **reversed** when one lies below 0, **within noise** otherwise.",
            "- A rank: the variant's rank by mean is reported; **reproduced** when no other"
                + " variant is ahead of it beyond noise (no interval of the variant minus another"
                + " lies wholly below 0), **not reproduced** when one is.",
            "- Scores are on the paper's scale (CIDEr-D x 100, accuracies in %). An average over"
                + " tasks mixes CIDEr-D with accuracies, as the MM1 paper's averages do.",
            "- A finding measured and not reproduced at some shot count gets an investigation,"
                + " written by a person from the evidence in the findings file; until then it"
                + " says *investigation pending*."));
    md.append("\n\n");
  }

  private static void finding(
      StringBuilder md,
      FindingsSpec spec,
      FindingResult r,
      MeasuredGrid grid,
      String chart,
      Path cwd) {
    Finding f = r.finding();
    md.append("<a id=\"").append(f.id()).append("\"></a>\n\n");
    md.append("## ").append(text(f.title())).append("\n\n");
    md.append("**The paper")
        .append(f.paper().source().isEmpty() ? "" : " (" + text(f.paper().source()) + ")")
        .append(":** ")
        .append(text(f.paper().claim()))
        .append("\n\n**Its numbers:** ")
        .append(text(f.paper().numbers()))
        .append("\n\n**Measured here:** ")
        .append(text(r.sides()))
        .append(", on grid [")
        .append(f.grid())
        .append("](#")
        .append(GridProvenance.anchor(f.grid()))
        .append(")");
    if (grid != null) {
      md.append(" (`")
          .append(String.join("`; `", GridProvenance.commands(grid, cwd)))
          .append("`; seeds ")
          .append(grid.comparison().plan().seeds())
          .append("; wall time ")
          .append(text(GridProvenance.wallTime(grid)))
          .append("; machine: ")
          .append(text(GridProvenance.machines(grid)))
          .append(")");
    }
    md.append(".\n\n");
    table(md, r.table());
    for (FindingResult.Table t : r.details()) {
      table(md, t);
    }
    if (chart != null) {
      md.append("![").append(text(f.title())).append("](").append(chart).append(")\n\n");
    }
    if (!f.investigation().isEmpty()) {
      // A person's Markdown, kept exactly as written.
      md.append("**Investigation.**\n\n").append(f.investigation()).append("\n\n");
    } else if (r.needsInvestigation()) {
      md.append("**Investigation pending.** This finding was measured and did not reproduce (")
          .append(String.join(", ", notReproduced(r)))
          .append("); nobody has yet written down what was looked into. Add an `investigation` to")
          .append(" its entry in `")
          .append(GridProvenance.display(spec.file(), cwd))
          .append("`.\n\n");
    }
  }

  /**
   * The shot counts and verdicts of the rows that did not reproduce, e.g. {@code 4-shot: within
   * noise}.
   */
  static List<String> notReproduced(FindingResult r) {
    List<String> parts = new ArrayList<>();
    for (FindingResult.Row row : r.table().rows()) {
      if (row.verdict() != null && row.verdict().needsInvestigation()) {
        parts.add(row.shots() + "-shot: " + row.verdict().label());
      }
    }
    return parts;
  }

  private static void table(StringBuilder md, FindingResult.Table t) {
    if (!t.title().isEmpty()) {
      md.append("*").append(text(t.title())).append("*\n\n");
    }
    md.append('|');
    for (String h : t.headers()) {
      md.append(' ').append(cell(h)).append(" |");
    }
    md.append("\n|");
    // Numbers align right; the first column and a verdict with its reason read as text.
    boolean verdicts = t.rows().stream().anyMatch(r -> r.verdict() != null);
    int columns = t.headers().size();
    for (int i = 0; i < columns; i++) {
      md.append(i == 0 || (verdicts && i >= columns - 2) ? "---|" : "---:|");
    }
    md.append('\n');
    for (FindingResult.Row row : t.rows()) {
      md.append('|');
      for (String value : row.cells()) {
        md.append(' ').append(cell(value)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static String measure(Finding f) {
    if (f.claim() instanceof Finding.Contrast c) {
      return c.measure().label();
    }
    if (f.claim() instanceof Finding.Rank r) {
      return r.measure().label() + ", rank";
    }
    return "effects' order";
  }

  /** Text on one line, with the characters that would start Markdown markup escaped. */
  static String text(String value) {
    return value.replace("\r", " ").replace("\n", " ").replaceAll("([\\\\`*_\\[\\]<>])", "\\\\$1");
  }

  /** Text for a table cell: on one line, escaped, with its pipes escaped too. */
  static String cell(String value) {
    return text(value).replace("|", "\\|");
  }
}
