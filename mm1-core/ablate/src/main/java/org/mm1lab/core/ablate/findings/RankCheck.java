package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.ablate.Comparison;
import org.mm1lab.core.ablate.Difference;
import org.mm1lab.core.ablate.Stats;

/**
 * Ranks a variant among others by its mean over seeds, per shot count, and tests it against each of
 * them: the variant minus the other, with the 95% interval of that difference. Reproduced when no
 * other variant is ahead beyond noise (no interval lies wholly below 0), not reproduced when one
 * is; not measured when the variant, or every other, has fewer than two seeds. The rank by mean is
 * reported beside the verdict, not decided on: with seed noise, a rank alone says little.
 */
final class RankCheck {

  /** Ranks the variant on its grid's folder (null when none was given). */
  FindingResult evaluate(Finding f, Finding.Rank r, MeasuredGrid grid) {
    String subject = r.variant();
    List<String> headers =
        List.of(
            "Shots", subject, "Rank by mean", "Best other", "Ahead beyond noise", "Verdict", "Why");
    String sides =
        subject
            + " against "
            + (r.among().isEmpty()
                ? "every other variant of the grid"
                : String.join(", ", others(r.among(), subject)))
            + "; "
            + r.measure().label()
            + "; the paper found "
            + subject
            + " among the best";
    if (grid == null) {
      return Rows.notMeasured(f, sides, headers, "no folder given holds grid " + f.grid());
    }
    Comparison c = grid.comparison();
    List<String> among = new ArrayList<>(List.of(subject));
    among.addAll(others(r.among().isEmpty() ? c.plan().groups() : r.among(), subject));
    List<String> absent = among.stream().filter(g -> !c.plan().groups().contains(g)).toList();
    if (!absent.isEmpty()) {
      return Rows.notMeasured(
          f,
          sides,
          headers,
          grid.folder().root()
              + " has no variant "
              + String.join(", ", absent)
              + ": its ablation.json is of another version of the grid");
    }
    List<FindingResult.Row> rows = new ArrayList<>();
    List<FindingResult.Table> details = new ArrayList<>();
    Map<Integer, List<Stats>> statsByShot = new LinkedHashMap<>();
    for (int shots : r.measure().shots()) {
      String why = r.measure().unmeasurable(c, shots);
      if (why != null) {
        rows.add(Rows.missing(shots, headers.size(), why));
        continue;
      }
      Map<String, Map<Long, Double>> values = new LinkedHashMap<>();
      List<Stats> stats = new ArrayList<>();
      for (String g : among) {
        values.put(g, r.measure().bySeed(c, g, shots));
        stats.add(Sides.stats(values.get(g)));
      }
      statsByShot.put(shots, stats);
      rows.add(row(subject, among, shots, values, stats, details));
    }
    return new FindingResult(
        f,
        sides,
        new FindingResult.Table("", headers, rows),
        details,
        chart(f, r.measure(), among, statsByShot));
  }

  private static FindingResult.Row row(
      String subject,
      List<String> among,
      int shots,
      Map<String, Map<Long, Double>> values,
      List<Stats> stats,
      List<FindingResult.Table> details) {
    Stats own = stats.get(0);
    int rank = 1;
    int ranked = 0;
    String best = null;
    double bestMean = Double.NEGATIVE_INFINITY;
    List<String> ahead = new ArrayList<>();
    List<String> untested = new ArrayList<>();
    List<FindingResult.Row> detail = new ArrayList<>();
    for (int i = 0; i < among.size(); i++) {
      String g = among.get(i);
      Stats s = stats.get(i);
      if (s.n() > 0) {
        ranked++;
        if (i > 0 && own.n() > 0 && s.mean() > own.mean()) {
          rank++;
        }
        if (i > 0 && s.mean() > bestMean) {
          bestMean = s.mean();
          best = g;
        }
      }
      if (i == 0) {
        detail.add(FindingResult.Row.of(List.of(g + " (ranked)", Sides.cell(s), "", "")));
        continue;
      }
      Difference d = Difference.of(values.get(subject), values.get(g));
      detail.add(FindingResult.Row.of(List.of(g, Sides.cell(s), d.format(), d.interval())));
      if (!d.hasInterval()) {
        untested.add(g);
      } else if (d.high() < 0) {
        ahead.add(g);
      }
    }
    details.add(
        new FindingResult.Table(
            shots + "-shot: every variant",
            List.of("Variant", "Mean", subject + " \u2212 variant", "95% interval"),
            detail));
    String rankText = own.n() == 0 ? Stats.MISSING : rank + " of " + ranked;
    Verdict verdict;
    String reason;
    if (own.n() < 2) {
      verdict = Verdict.NOT_MEASURED;
      reason = subject + " has results for " + own.n() + " seed(s); an interval needs at least 2";
    } else if (!ahead.isEmpty()) {
      verdict = Verdict.NOT_REPRODUCED;
      reason = String.join(", ", ahead) + " ahead beyond noise";
    } else if (untested.size() == among.size() - 1) {
      verdict = Verdict.NOT_MEASURED;
      reason = "no other variant has results for 2 or more seeds";
    } else {
      verdict = Verdict.REPRODUCED;
      reason =
          "no variant is ahead beyond noise"
              + (untested.isEmpty()
                  ? ""
                  : " (not tested, fewer than 2 seeds: " + String.join(", ", untested) + ")");
    }
    String bestText =
        best == null ? Stats.MISSING : best + " " + stats.get(among.indexOf(best)).format();
    return new FindingResult.Row(
        List.of(
            shots + "-shot",
            Sides.cell(own),
            rankText,
            bestText,
            ahead.isEmpty() ? "none" : String.join(", ", ahead),
            verdict.label(),
            reason),
        Integer.toString(shots),
        "rank " + rankText + (own.n() == 0 ? "" : ", " + own.format()),
        verdict,
        reason);
  }

  private static List<String> others(List<String> groups, String subject) {
    return groups.stream().filter(g -> !g.equals(subject)).toList();
  }

  private static FindingResult.Chart chart(
      Finding f, Measure measure, List<String> among, Map<Integer, List<Stats>> statsByShot) {
    List<FindingResult.Series> series = new ArrayList<>();
    statsByShot.forEach(
        (shots, stats) ->
            series.add(
                new FindingResult.Series(
                    shots + "-shot",
                    stats.stream().mapToDouble(Stats::mean).toArray(),
                    stats.stream().mapToDouble(Stats::low).toArray(),
                    stats.stream().mapToDouble(Stats::high).toArray())));
    return new FindingResult.Chart(
        f.title() + ": mean over seeds, 95% intervals", measure.label(), among, series);
  }
}
