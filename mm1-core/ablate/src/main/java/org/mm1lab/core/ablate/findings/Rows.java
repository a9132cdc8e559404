package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.ablate.Stats;

/** The rows every check writes where nothing was measured, shared so they read the same. */
final class Rows {

  private Rows() {}

  /** A row at one shot count that was not measured, for this reason, with dashes between. */
  static FindingResult.Row missing(int shots, int columns, String why) {
    return new FindingResult.Row(
        cells(shots + "-shot", columns, why),
        Integer.toString(shots),
        Stats.MISSING,
        Verdict.NOT_MEASURED,
        why);
  }

  /** A finding with nothing measured at all: one row saying why, and no chart. */
  static FindingResult notMeasured(Finding f, String sides, List<String> headers, String why) {
    FindingResult.Row row =
        new FindingResult.Row(
            cells("all", headers.size(), why), "", Stats.MISSING, Verdict.NOT_MEASURED, why);
    return new FindingResult(
        f, sides, new FindingResult.Table("", headers, List.of(row)), List.of(), null);
  }

  /** The first cell, dashes, then the verdict and the reason as the last two. */
  private static List<String> cells(String first, int columns, String why) {
    List<String> cells = new ArrayList<>();
    cells.add(first);
    while (cells.size() < columns - 2) {
      cells.add(Stats.MISSING);
    }
    cells.add(Verdict.NOT_MEASURED.label());
    cells.add(why);
    return cells;
  }
}
