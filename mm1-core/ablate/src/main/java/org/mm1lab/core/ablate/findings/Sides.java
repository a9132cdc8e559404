package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mm1lab.core.ablate.Comparison;
import org.mm1lab.core.ablate.Stats;

/**
 * The value of a side of a contrast for each seed: the mean of its variants' values at that seed. A
 * seed counts only when every variant of the side has a value for it, so that each seed's value is
 * a mean over the same cells of the grid (for a factorial grid, every combination of the other
 * axes' levels) and the sides stay paired by seed.
 */
final class Sides {

  private Sides() {}

  /** The side's values by seed, in the order the variants' seeds first appear. */
  static Map<Long, Double> bySeed(
      Comparison c, List<String> groups, Measure measure, int shotCount) {
    List<Map<Long, Double>> perGroup = new ArrayList<>();
    Set<Long> seeds = new LinkedHashSet<>();
    for (String group : groups) {
      Map<Long, Double> values = measure.bySeed(c, group, shotCount);
      perGroup.add(values);
      seeds.addAll(values.keySet());
    }
    Map<Long, Double> side = new LinkedHashMap<>();
    for (Long seed : seeds) {
      double sum = 0;
      boolean all = true;
      for (Map<Long, Double> values : perGroup) {
        Double v = values.get(seed);
        if (v == null) {
          all = false;
          break;
        }
        sum += v;
      }
      if (all && !perGroup.isEmpty()) {
        side.put(seed, sum / perGroup.size());
      }
    }
    return side;
  }

  /** The mean and spread of a side's values over seeds. */
  static Stats stats(Map<Long, Double> bySeed) {
    return Stats.of(new ArrayList<>(bySeed.values()));
  }

  /** {@code 52.0 ± 5.0 (3 seeds)}, or a dash without a value. */
  static String cell(Stats s) {
    return s.n() == 0
        ? Stats.MISSING
        : s.format() + " (" + s.n() + (s.n() == 1 ? " seed)" : " seeds)");
  }

  /** The per-seed differences a minus b for the seeds both have. */
  static Map<Long, Double> differences(Map<Long, Double> a, Map<Long, Double> b) {
    Map<Long, Double> d = new LinkedHashMap<>();
    a.forEach(
        (seed, value) -> {
          if (b.containsKey(seed)) {
            d.put(seed, value - b.get(seed));
          }
        });
    return d;
  }

  /**
   * Why a difference of sides with these seed counts has no interval: a side has fewer than two
   * seeds.
   */
  static String tooFewSeeds(String a, int na, String b, int nb) {
    return a
        + " has results for "
        + seeds(na)
        + ", "
        + b
        + " for "
        + seeds(nb)
        + "; an interval needs at least 2 seeds on each side";
  }

  private static String seeds(int n) {
    return n + (n == 1 ? " seed" : " seeds");
  }
}
