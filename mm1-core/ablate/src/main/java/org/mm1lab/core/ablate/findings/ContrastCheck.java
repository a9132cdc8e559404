package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mm1lab.core.ablate.Comparison;
import org.mm1lab.core.ablate.Difference;
import org.mm1lab.core.ablate.Stats;

/**
 * Measures a contrast: per shot count, side a's and side b's values by seed, their difference with
 * its 95% interval ({@link Difference}: paired by seed when both sides have the same seeds, Welch's
 * otherwise) and the verdict.
 *
 * <p>Verdicts. For {@code expect = a-higher}: reproduced when the interval lies above 0, reversed
 * when it lies below 0, within noise when it covers 0. For {@code expect = little-effect}:
 * reproduced when the interval covers 0, or when the difference's size is at most {@link #LITTLE}
 * of the smallest size among the compared contrasts' effects at that shot count; not reproduced
 * otherwise. Without an interval (a side with fewer than two seeds) or without a compared effect to
 * judge an effect that excludes 0 against, the row is not measured.
 */
final class ContrastCheck {

  /** The share of the smallest compared effect that an effect may reach and still be little. */
  static final double LITTLE = 0.5;

  /**
   * Each measured contrast's effects by shot count, for later little-effect and ordering checks.
   */
  private final Map<String, Map<Integer, Effect>> effects;

  /**
   * @param effects where each contrast's effects are put, and where those it is compared to are
   *     found
   */
  ContrastCheck(Map<String, Map<Integer, Effect>> effects) {
    this.effects = effects;
  }

  /** Measures a contrast on its grid's folder, or says why not when there is none (null). */
  FindingResult evaluate(Finding f, Finding.Contrast c, MeasuredGrid grid) {
    String a = "a: " + c.a().describe();
    String b = "b: " + c.b().describe();
    List<String> headers =
        List.of("Shots", a, b, "\u0394 a \u2212 b", "95% interval", "Verdict", "Why");
    Map<Integer, Effect> byShot = new LinkedHashMap<>();
    effects.put(f.id(), byShot);
    String sides = sides(c, grid);
    if (grid == null) {
      return Rows.notMeasured(f, sides, headers, "no folder given holds grid " + f.grid());
    }
    Comparison comparison = grid.comparison();
    List<String> groupsA = c.a().groups(comparison.plan());
    List<String> groupsB = c.b().groups(comparison.plan());
    String noVariant = noVariant(grid, "a", c.a(), groupsA);
    if (noVariant == null) {
      noVariant = noVariant(grid, "b", c.b(), groupsB);
    }
    if (noVariant != null) {
      return Rows.notMeasured(f, sides, headers, noVariant);
    }
    List<FindingResult.Row> rows = new ArrayList<>();
    List<Stats> statsA = new ArrayList<>();
    List<Stats> statsB = new ArrayList<>();
    List<Difference> differences = new ArrayList<>();
    for (int shots : c.measure().shots()) {
      String why = c.measure().unmeasurable(comparison, shots);
      if (why != null) {
        byShot.put(shots, Effect.missing(why));
        rows.add(Rows.missing(shots, headers.size(), why));
        statsA.add(Stats.of(List.of()));
        statsB.add(Stats.of(List.of()));
        differences.add(null);
        continue;
      }
      Map<Long, Double> valuesA = Sides.bySeed(comparison, groupsA, c.measure(), shots);
      Map<Long, Double> valuesB = Sides.bySeed(comparison, groupsB, c.measure(), shots);
      Stats sa = Sides.stats(valuesA);
      Stats sb = Sides.stats(valuesB);
      Difference d = Difference.of(valuesA, valuesB);
      String reason =
          d.hasInterval()
              ? ""
              : Sides.tooFewSeeds(c.a().describe(), sa.n(), c.b().describe(), sb.n());
      byShot.put(shots, new Effect(d, Sides.differences(valuesA, valuesB), reason));
      statsA.add(sa);
      statsB.add(sb);
      differences.add(d);
      Verdict verdict;
      if (!d.hasInterval()) {
        verdict = Verdict.NOT_MEASURED;
      } else if (c.expect() == Finding.Expect.A_HIGHER) {
        verdict =
            d.low() > 0
                ? Verdict.REPRODUCED
                : d.high() < 0 ? Verdict.REVERSED : Verdict.WITHIN_NOISE;
        reason =
            switch (verdict) {
              case REPRODUCED -> "the interval lies above 0: a is higher";
              case REVERSED -> "the interval lies below 0: b is higher";
              default -> "the interval covers 0";
            };
      } else {
        Judged judged = little(c, d, shots);
        verdict = judged.verdict();
        reason = judged.reason();
      }
      rows.add(
          new FindingResult.Row(
              List.of(
                  shots + "-shot",
                  Sides.cell(sa),
                  Sides.cell(sb),
                  d.format(),
                  d.interval(),
                  verdict.label(),
                  reason),
              Integer.toString(shots),
              d.format(),
              verdict,
              reason));
    }
    return new FindingResult(
        f,
        sides,
        new FindingResult.Table("", headers, rows),
        List.of(),
        chart(f, c, statsA, statsB, differences));
  }

  /**
   * Why a side takes no variant of the folder's plan (the folder holds another version of the grid
   * than the findings file names), or null when it takes some.
   */
  static String noVariant(MeasuredGrid grid, String side, Selection s, List<String> groups) {
    return groups.isEmpty()
        ? grid.folder().root()
            + " has no variant for side "
            + side
            + " ("
            + s.describe()
            + "): its ablation.json is of another version of the grid"
        : null;
  }

  /** A verdict and why. */
  private record Judged(Verdict verdict, String reason) {}

  /** The little-effect verdict and its reason. */
  private Judged little(Finding.Contrast c, Difference d, int shots) {
    if (d.withinNoise()) {
      return new Judged(Verdict.REPRODUCED, "the interval covers 0");
    }
    String smallest = null;
    double size = Double.POSITIVE_INFINITY;
    for (String id : c.comparedTo()) {
      Effect e = effects.getOrDefault(id, Map.of()).get(shots);
      if (e != null && e.measured() && Math.abs(e.difference().delta()) < size) {
        size = Math.abs(e.difference().delta());
        smallest = id;
      }
    }
    if (smallest == null) {
      return new Judged(
          Verdict.NOT_MEASURED,
          "the interval excludes 0, and "
              + (c.comparedTo().isEmpty()
                  ? "the finding names no effect to compare it with"
                  : "none of the effects it is compared with ("
                      + String.join(", ", c.comparedTo())
                      + ") is measured at "
                      + shots
                      + " shots"));
    }
    double magnitude = Math.abs(d.delta());
    String comparison =
        String.format(
            Locale.ROOT,
            "|\u0394| %.1f is %s %.0f%% of the smallest compared effect, %s (%s)",
            magnitude,
            magnitude <= LITTLE * size ? "at most" : "more than",
            LITTLE * 100,
            smallest,
            Stats.delta(effects.get(smallest).get(shots).difference().delta()));
    return new Judged(
        magnitude <= LITTLE * size ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED,
        "the interval excludes 0; " + comparison);
  }

  private static String sides(Finding.Contrast c, MeasuredGrid grid) {
    String text = describe(c.a(), grid) + " (a) against " + describe(c.b(), grid) + " (b)";
    return text
        + "; "
        + c.measure().label()
        + "; the paper found "
        + (c.expect() == Finding.Expect.A_HIGHER
            ? "a higher"
            : "little difference"
                + (c.comparedTo().isEmpty()
                    ? ""
                    : ", compared with " + String.join(", ", c.comparedTo())));
  }

  /** A side in words, with how many variants it averages over when more than one. */
  private static String describe(Selection s, MeasuredGrid grid) {
    if (s.variant() != null) {
      return s.variant();
    }
    int n = grid == null ? 0 : s.groups(grid.comparison().plan()).size();
    return s.describe() + (n > 1 ? " (the mean over its " + n + " variants)" : "");
  }

  private static FindingResult.Chart chart(
      Finding f, Finding.Contrast c, List<Stats> a, List<Stats> b, List<Difference> differences) {
    List<String> categories = c.measure().shots().stream().map(s -> s + "-shot").toList();
    int n = categories.size();
    double[][] av = new double[3][n];
    double[][] bv = new double[3][n];
    double[][] dv = new double[3][n];
    for (int i = 0; i < n; i++) {
      fill(av, i, a.get(i).mean(), a.get(i).low(), a.get(i).high());
      fill(bv, i, b.get(i).mean(), b.get(i).low(), b.get(i).high());
      Difference d = differences.get(i);
      if (d == null) {
        fill(dv, i, Double.NaN, Double.NaN, Double.NaN);
      } else {
        fill(dv, i, d.delta(), d.low(), d.high());
      }
    }
    return new FindingResult.Chart(
        f.title() + ": mean over seeds, 95% intervals",
        c.measure().label(),
        categories,
        List.of(
            new FindingResult.Series("a: " + c.a().describe(), av[0], av[1], av[2]),
            new FindingResult.Series("b: " + c.b().describe(), bv[0], bv[1], bv[2]),
            new FindingResult.Series("\u0394 a \u2212 b", dv[0], dv[1], dv[2])));
  }

  private static void fill(double[][] series, int i, double value, double low, double high) {
    series[0][i] = value;
    series[1][i] = low;
    series[2][i] = high;
  }
}
