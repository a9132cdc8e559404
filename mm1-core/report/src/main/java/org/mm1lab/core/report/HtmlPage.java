package org.mm1lab.core.report;

import java.util.List;
import org.mm1lab.core.layout.RunLayout;

/**
 * Renders the report as one self-contained HTML page that works opened straight from disk: the
 * charting library, its style and the curves' data are inlined, nothing is fetched from a network;
 * the only files it refers to are the example images (and the PNGs, shown where scripts are off) in
 * the same folder. All text from the run is escaped.
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
          ".chart{margin:1em 0 2em}.chart .tools{font-size:.9em;color:#555}",
          ".help{color:#555;font-size:.92em}",
          "pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:.8em;overflow:auto;"
              + "white-space:pre-wrap}",
          // A grid with the image's own column: nothing stretches the image, which keeps the
          // width and height it was given (its own proportions).
          ".examples{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));"
              + "gap:1em}",
          ".example{display:grid;grid-template-columns:auto 1fr;gap:1em;align-items:start;"
              + "border:1px solid #e3e3e3;border-radius:4px;padding:.8em}",
          ".example img{align-self:start;justify-self:start;image-rendering:pixelated;"
              + "border:1px solid #ccc;max-width:192px;height:auto}",
          ".example pre{margin:.2em 0 .6em;padding:.4em}",
          // A text task's card has no image: its text takes the whole card.
          ".example>div:only-child{grid-column:1/-1}",
          ".mark{font-weight:bold;padding:.1em .4em;border-radius:3px}",
          ".mark.right{background:#e3f5e1;color:#1b6e1b}.mark.wrong{background:#fbe4e4;"
              + "color:#a11}",
          ".mark.partly{background:#fff3d6;color:#8a5a00}.mark.scored{background:#eef;"
              + "color:#335}",
          "details{margin:1em 0}summary{cursor:pointer;font-weight:bold}",
          ".note{background:#fff8e0;border-left:4px solid #e0b000;padding:.5em .8em}",
          ".label{color:#666;font-size:.9em}");

  /**
   * Draws the charts of the inlined data with uPlot: drag across a chart to zoom in, double-click
   * to zoom out, hover for the values (in the legend), and a switch between a linear and a log y
   * axis (values that are not positive are left out on a log axis).
   */
  private static final String CHART_SCRIPT =
      String.join(
          "\n",
          "(function () {",
          "  // Numbers as a person reads them: a learning rate of 3e-4 must not show as 0.",
          "  function fmt(v) {",
          "    if (v === null || v === undefined) return '--';",
          "    var a = Math.abs(v);",
          "    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2)",
          "      : String(+v.toPrecision(4));",
          "  }",
          "  var specs = JSON.parse(document.getElementById('mm1-chart-data').textContent);",
          "  specs.forEach(function (spec) {",
          "    var box = document.getElementById(spec.id);",
          "    var plot = box.querySelector('.plot');",
          "    var logBox = box.querySelector('input.log');",
          "    function draw(log) {",
          "      plot.innerHTML = '';",
          "      var series = [{ label: spec.xLabel }];",
          "      var data = [spec.x];",
          "      spec.series.forEach(function (s) {",
          "        series.push({ label: s.label, stroke: s.color, width: s.width,",
          "          points: { show: false }, spanGaps: false,",
          "          value: function (u, v) { return fmt(v); } });",
          "        data.push(s.y.map(function (v) {",
          "          return v === null || (log && v <= 0) ? null : v; }));",
          "      });",
          "      var width = Math.max(320, Math.min(box.clientWidth || 1000, 1060));",
          "      new uPlot({ title: spec.title, width: width, height: 340, series: series,",
          "        scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },",
          "        axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 70,",
          // A log axis leaves its minor ticks unlabelled (null).
          "          values: function (u, splits) {",
          "            return splits.map(function (v) { return v == null ? '' : fmt(v); }); } }],",
          "        cursor: { drag: { x: true, y: false } } }, data, plot);",
          "    }",
          "    logBox.checked = spec.log;",
          "    logBox.addEventListener('change', function () { draw(logBox.checked); });",
          "    draw(spec.log);",
          "  });",
          "})();");

  private HtmlPage() {}

  /** The whole page. */
  static String render(ReportContent c) {
    StringBuilder h = new StringBuilder(131_072);
    String title = "Run report: " + c.runName();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("\n</style>\n");
    if (c.charts() != null && !c.charts().ids().isEmpty()) {
      ChartLibrary library = c.library();
      h.append("<!-- uPlot ")
          .append(library.version())
          .append(" (MIT licence), inlined so that the page works offline -->\n<style>\n")
          .append(library.style())
          .append("\n</style>\n<script>\n")
          .append(library.script())
          .append("\n</script>\n");
    }
    h.append("</head>\n<body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
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
      ConfigView.View view = ConfigView.of(c.config(), c.trainingRun());
      h.append("<details>\n<summary>The settings this run used (")
          .append(view.text().lines().count())
          .append(" lines; the full resolved configuration is ")
          .append(RunLayout.CONFIG)
          .append(" in the run directory)</summary>\n");
      for (String left : view.leftOut()) {
        h.append("<p class=\"label\">Left out: ").append(Html.escape(left)).append("</p>\n");
      }
      h.append("<pre>").append(Html.escape(view.text())).append("</pre>\n</details>\n");
    }
    if (c.charts() != null && !c.charts().ids().isEmpty()) {
      h.append("<script type=\"application/json\" id=\"mm1-chart-data\">")
          .append(c.charts().json())
          .append("</script>\n<script>\n")
          .append(CHART_SCRIPT)
          .append("\n</script>\n");
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
    InteractiveCharts charts = c.charts();
    h.append("<p class=\"help\">Each line is the logged values: every line of ")
        .append(RunLayout.METRICS)
        .append(" holds the mean over the steps of its logging interval (files written by")
        .append(" earlier versions hold the logged step's own value).");
    int window = charts.widestWindow();
    if (window > 1) {
      h.append(" The light, wide band under a line is its centred moving average over up to ")
          .append(window)
          .append(" points; the window shrinks to the same size on both sides near the ends, so")
          .append(" the band neither lags behind the values nor runs past the last one.");
    }
    h.append(" Drag across a chart to zoom in, double-click to zoom out, hover for the values;")
        .append(" the box beside a chart switches its y axis to a log scale.</p>\n");
    for (String id : charts.ids()) {
      h.append("<div class=\"chart\" id=\"")
          .append(id)
          .append("\"><div class=\"tools\"><label><input type=\"checkbox\" class=\"log\"> log")
          .append(" scale</label> \u2014 ")
          .append(Html.escape(charts.title(id)))
          .append("</div><div class=\"plot\"></div></div>\n");
    }
    // Without scripts the PNGs stand in; they are also what the Markdown summary links to.
    h.append("<noscript><div class=\"plots\">\n");
    for (ReportPlots.Plot p : c.plots()) {
      h.append("<figure><img src=\"")
          .append(Html.escape(p.fileName()))
          .append("\" alt=\"")
          .append(Html.escape(p.title()))
          .append("\"></figure>\n");
    }
    h.append("</div></noscript>\n");
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
    for (EvalTable.Row average : table.averages()) {
      row(h, average, " class=\"average\"");
    }
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
    h.append("<h2 id=\"examples\">Examples</h2>\n<div class=\"examples\">\n");
    for (ExampleImages.Shown shown : c.examples()) {
      EvalExamples.Example e = shown.example();
      h.append("<div class=\"example\">\n");
      if (shown.href() != null) {
        h.append("<img src=\"").append(Html.escape(shown.href())).append('"');
        if (shown.width() > 0 && shown.height() > 0) {
          // Its own proportions, scaled to a fixed width; small images are drawn larger.
          int width = 192;
          int height = Math.max(1, Math.round(width * (float) shown.height() / shown.width()));
          h.append(" width=\"").append(width).append("\" height=\"").append(height).append('"');
        }
        h.append(" alt=\"").append(Html.escape(e.task() + " example image")).append("\">\n");
      }
      h.append("<div>\n<div class=\"label\">")
          .append(Html.escape(e.task()))
          .append(", ")
          .append(e.shots())
          .append("-shot");
      String[] mark = Answers.mark(e.metric(), e.score());
      if (mark != null) {
        h.append(" <span class=\"mark ")
            .append(mark[0])
            .append("\">")
            .append(Html.escape(mark[1]))
            .append("</span>");
      }
      h.append("</div>\n");
      if (shown.imageProblem() != null) {
        h.append("<p class=\"note\">").append(Html.escape(shown.imageProblem())).append("</p>\n");
      }
      h.append("<div class=\"label\">Prompt</div><pre>")
          .append(Html.escape(e.prompt()))
          .append("</pre>\n<div class=\"label\">Model output</div><pre>")
          .append(Html.escape(e.output()))
          .append("</pre>\n");
      List<String> expected = e.expected();
      List<String> counted = Answers.counted(expected);
      if (!counted.isEmpty()) {
        h.append("<div class=\"label\">Expected (")
            .append(expected.size())
            .append(" answers)</div><p class=\"answers\">")
            .append(Html.escape(String.join(", ", counted)))
            .append("</p>\n");
      } else if (!expected.isEmpty()) {
        h.append("<div class=\"label\">Expected</div><ul>\n");
        for (String answer : expected) {
          h.append("<li>").append(Html.escape(answer)).append("</li>\n");
        }
        h.append("</ul>\n");
      }
      h.append("</div>\n</div>\n");
    }
    h.append("</div>\n");
  }
}
