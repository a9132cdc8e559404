package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.ablate.Difference;
import org.mm1lab.core.ablate.Stats;

/**
 * Checks the paper's order of several effects (largest first), at each shot count all of them are
 * measured at: for each neighbouring pair the per-seed effects are subtracted (the first's effect
 * minus the second's, seed by seed, so that the seed noise the two share cancels) and the result's
 * 95% interval decides. Reproduced when every pair's interval lies above 0, reversed when some
 * pair's lies below 0, within noise otherwise; not measured when an effect or a pair has no
 * interval.
 */
final class OrderingCheck {

  private final Map<String, Map<Integer, Effect>> effects;

  /**
   * @param effects the contrasts' effects, measured before
   */
  OrderingCheck(Map<String, Map<Integer, Effect>> effects) {
    this.effects = effects;
  }

  /** Checks an ordering on its grid's folder (null when none was given). */
  FindingResult evaluate(Finding f, Finding.Ordering o, FindingsSpec spec, MeasuredGrid grid) {
    List<String> ids = o.findings();
    List<Integer> shots = new ArrayList<>();
    Finding.Contrast first = contrast(spec, ids.get(0));
    for (int s : first.measure().shots()) {
      if (ids.stream().allMatch(id -> contrast(spec, id).measure().shots().contains(s))) {
        shots.add(s);
      }
    }
    List<String> headers = new ArrayList<>(List.of("Shots"));
    ids.forEach(id -> headers.add(id));
    for (int i = 0; i + 1 < ids.size(); i++) {
      headers.add(ids.get(i) + " \u2212 " + ids.get(i + 1));
    }
    headers.add("Verdict");
    headers.add("Why");
    String sides =
        "the effects of "
            + String.join(", ", ids)
            + " ("
            + first.measure().label()
            + "); the paper found them in this order, the largest first";
    if (grid == null) {
      return Rows.notMeasured(f, sides, headers, "no folder given holds grid " + f.grid());
    }
    if (shots.isEmpty()) {
      return Rows.notMeasured(f, sides, headers, "the effects share no shot count");
    }
    List<FindingResult.Row> rows = new ArrayList<>();
    List<List<Effect>> byShot = new ArrayList<>();
    for (int s : shots) {
      List<Effect> at =
          ids.stream()
              .map(
                  id ->
                      effects
                          .getOrDefault(id, Map.of())
                          .getOrDefault(s, Effect.missing("its sides are not in the folder")))
              .toList();
      byShot.add(at);
      rows.add(row(ids, s, at));
    }
    return new FindingResult(
        f,
        sides,
        new FindingResult.Table("", headers, rows),
        List.of(),
        chart(f, ids, shots, byShot));
  }

  private static FindingResult.Row row(List<String> ids, int shots, List<Effect> at) {
    List<String> cells = new ArrayList<>(List.of(shots + "-shot"));
    List<String> measured = new ArrayList<>();
    String why = null;
    for (int i = 0; i < ids.size(); i++) {
      Effect e = at.get(i);
      cells.add(e.difference() == null ? Stats.MISSING : e.difference().format());
      if (e.measured()) {
        measured.add(ids.get(i) + " " + Stats.delta(e.difference().delta()));
      } else if (why == null) {
        why = ids.get(i) + " is not measured at " + shots + " shots: " + e.reason();
      }
    }
    boolean allAbove = true;
    String below = null;
    String covers = null;
    for (int i = 0; i + 1 < ids.size(); i++) {
      String pair = ids.get(i) + " \u2212 " + ids.get(i + 1);
      if (!at.get(i).measured() || !at.get(i + 1).measured()) {
        cells.add(Stats.MISSING);
        allAbove = false;
        continue;
      }
      Difference d = Difference.of(at.get(i).bySeed(), at.get(i + 1).bySeed());
      cells.add(d.hasInterval() ? d.format() + " " + d.interval() : Stats.MISSING);
      if (!d.hasInterval()) {
        why = why != null ? why : pair + " has no interval: the effects share fewer than 2 seeds";
        allAbove = false;
      } else if (d.high() < 0) {
        below = below != null ? below : pair;
        allAbove = false;
      } else if (d.low() <= 0) {
        covers = covers != null ? covers : pair;
        allAbove = false;
      }
    }
    Verdict verdict;
    String reason;
    if (why != null) {
      verdict = Verdict.NOT_MEASURED;
      reason = why;
    } else if (below != null) {
      verdict = Verdict.REVERSED;
      reason = "the interval of " + below + " lies below 0";
    } else if (allAbove) {
      verdict = Verdict.REPRODUCED;
      reason = "every pair's interval lies above 0";
    } else {
      verdict = Verdict.WITHIN_NOISE;
      reason = "the interval of " + covers + " covers 0";
    }
    cells.add(verdict.label());
    cells.add(reason);
    return new FindingResult.Row(
        cells,
        Integer.toString(shots),
        measured.isEmpty() ? Stats.MISSING : String.join(", ", measured),
        verdict,
        reason);
  }

  private static FindingResult.Chart chart(
      Finding f, List<String> ids, List<Integer> shots, List<List<Effect>> byShot) {
    List<FindingResult.Series> series = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      double[] value = new double[shots.size()];
      double[] low = new double[shots.size()];
      double[] high = new double[shots.size()];
      for (int s = 0; s < shots.size(); s++) {
        Difference d = byShot.get(s).get(i).difference();
        value[s] = d == null ? Double.NaN : d.delta();
        low[s] = d == null ? Double.NaN : d.low();
        high[s] = d == null ? Double.NaN : d.high();
      }
      series.add(new FindingResult.Series(ids.get(i), value, low, high));
    }
    return new FindingResult.Chart(
        f.title() + ": each effect (a \u2212 b), 95% intervals",
        "effect",
        shots.stream().map(s -> s + "-shot").toList(),
        series);
  }

  private static Finding.Contrast contrast(FindingsSpec spec, String id) {
    return (Finding.Contrast) spec.finding(id).orElseThrow().claim();
  }
}
