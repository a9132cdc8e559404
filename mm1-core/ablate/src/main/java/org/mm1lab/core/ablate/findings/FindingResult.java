package org.mm1lab.core.ablate.findings;

import java.util.List;
import java.util.Objects;

/**
 * A finding as measured: its table (a row per shot count, or one row saying why nothing was
 * measured), further tables where the finding needs them (a rank's every variant), and its chart.
 *
 * @param finding the finding
 * @param sides what was compared, in words, e.g. {@code res-128 (a) against baseline (b)}
 * @param table the measured table
 * @param details further tables; empty for none
 * @param chart the chart's data, or null when nothing was measured
 */
public record FindingResult(
    Finding finding, String sides, Table table, List<Table> details, Chart chart) {

  /** Checks the fields and copies the list. */
  public FindingResult {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(sides, "sides");
    Objects.requireNonNull(table, "table");
    details = List.copyOf(details);
  }

  /**
   * A table of formatted cells.
   *
   * @param title its heading; empty for none
   * @param headers the column headers
   * @param rows the rows
   */
  public record Table(String title, List<String> headers, List<Row> rows) {
    /** Copies the lists. */
    public Table {
      headers = List.copyOf(headers);
      rows = List.copyOf(rows);
    }
  }

  /**
   * One row: its cells (as many as the headers) and, for a measured table, what the summary shows.
   *
   * @param cells the cells, the verdict and its reason among them
   * @param shots the shot count it is at, e.g. {@code 4}; empty for a row not at one shot count
   * @param measured the effect as the summary shows it, e.g. {@code +3.0 ± 2.5}; a dash for none
   * @param verdict the row's verdict; null for a row of a details table
   * @param reason why the verdict is what it is
   */
  public record Row(
      List<String> cells, String shots, String measured, Verdict verdict, String reason) {
    /** Copies the cells. */
    public Row {
      cells = List.copyOf(cells);
    }

    /** A row of a details table: cells only. */
    public static Row of(List<String> cells) {
      return new Row(cells, "", "", null, "");
    }
  }

  /**
   * A bar chart with an error bar per bar.
   *
   * @param title its heading
   * @param yLabel the value axis's label
   * @param categories the groups along the x axis
   * @param series the bars of each group
   */
  public record Chart(String title, String yLabel, List<String> categories, List<Series> series) {
    /** Copies the lists. */
    public Chart {
      categories = List.copyOf(categories);
      series = List.copyOf(series);
    }

    /** Whether any bar has a value. */
    public boolean hasData() {
      return series.stream()
          .anyMatch(s -> java.util.Arrays.stream(s.values()).anyMatch(Double::isFinite));
    }
  }

  /**
   * One series of bars: a value and an interval (NaN for none) per category.
   *
   * @param name its legend entry
   * @param values the bars' values
   * @param low the intervals' lower ends
   * @param high the intervals' upper ends
   */
  public record Series(String name, double[] values, double[] low, double[] high) {
    /** Copies the arrays. */
    public Series {
      values = values.clone();
      low = low.clone();
      high = high.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    @Override
    public double[] low() {
      return low.clone();
    }

    @Override
    public double[] high() {
      return high.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Series s
          && name.equals(s.name)
          && java.util.Arrays.equals(values, s.values)
          && java.util.Arrays.equals(low, s.low)
          && java.util.Arrays.equals(high, s.high);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          name,
          java.util.Arrays.hashCode(values),
          java.util.Arrays.hashCode(low),
          java.util.Arrays.hashCode(high));
    }

    @Override
    public String toString() {
      return "Series[" + name + ", " + java.util.Arrays.toString(values) + "]";
    }
  }

  /** The verdicts of the measured rows, in order. */
  public List<Verdict> verdicts() {
    return table.rows().stream().map(Row::verdict).toList();
  }

  /** Whether some row was measured and did not agree with the paper. */
  public boolean needsInvestigation() {
    return verdicts().stream().anyMatch(Verdict::needsInvestigation);
  }
}
