package org.mm1lab.core.ablate.findings;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures every finding of a findings file on the grids' folders. Contrasts that expect a higher
 * side go first, since little-effect contrasts are judged against their effects and orderings
 * compare them; the results come back in the file's order.
 */
public final class FindingsEvaluation {

  private FindingsEvaluation() {}

  /**
   * Measures the findings.
   *
   * @param spec the findings file
   * @param grids each grid's folder by the grid's name; a grid without a folder is absent
   * @return one result per finding, in the file's order
   */
  public static List<FindingResult> evaluate(FindingsSpec spec, Map<String, MeasuredGrid> grids) {
    Map<String, Map<Integer, Effect>> effects = new HashMap<>();
    ContrastCheck contrasts = new ContrastCheck(effects);
    Map<String, FindingResult> results = new LinkedHashMap<>();
    for (Finding f : spec.findings()) {
      if (f.claim() instanceof Finding.Contrast c && c.expect() == Finding.Expect.A_HIGHER) {
        results.put(f.id(), contrasts.evaluate(f, c, grids.get(f.grid())));
      }
    }
    for (Finding f : spec.findings()) {
      if (f.claim() instanceof Finding.Contrast c && c.expect() == Finding.Expect.LITTLE_EFFECT) {
        results.put(f.id(), contrasts.evaluate(f, c, grids.get(f.grid())));
      }
    }
    OrderingCheck orderings = new OrderingCheck(effects);
    RankCheck ranks = new RankCheck();
    for (Finding f : spec.findings()) {
      if (f.claim() instanceof Finding.Ordering o) {
        results.put(f.id(), orderings.evaluate(f, o, spec, grids.get(f.grid())));
      } else if (f.claim() instanceof Finding.Rank r) {
        results.put(f.id(), ranks.evaluate(f, r, grids.get(f.grid())));
      }
    }
    return spec.findings().stream().map(f -> results.get(f.id())).toList();
  }
}
