package org.mm1lab.core.ablate.findings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.report.BarChart;

/**
 * Draws each measured finding's chart with the run report's {@link BarChart}: bars for the means
 * (or effects) and an error bar for each one's 95% interval. A finding with nothing measured gets
 * no chart; its section says why instead.
 */
final class FindingsCharts {

  private static final int HEIGHT = 420;

  private FindingsCharts() {}

  /**
   * Writes {@code <id>.png} into {@code folder} for each finding that has data.
   *
   * @return each written chart's file by finding id
   */
  static Map<String, Path> write(List<FindingResult> results, Path folder) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    for (FindingResult r : results) {
      FindingResult.Chart c = r.chart();
      if (c == null || !c.hasData()) {
        continue;
      }
      Files.createDirectories(folder);
      BarChart chart =
          new BarChart(c.title(), c.yLabel()).categories(c.categories().toArray(String[]::new));
      for (FindingResult.Series s : c.series()) {
        chart.series(s.name(), s.values(), s.low(), s.high());
      }
      Path file = folder.resolve(r.finding().id() + ".png");
      int width = Math.max(720, c.categories().size() * Math.max(1, c.series().size()) * 70 + 200);
      chart.write(file, width, HEIGHT);
      files.put(r.finding().id(), file);
    }
    return files;
  }
}
