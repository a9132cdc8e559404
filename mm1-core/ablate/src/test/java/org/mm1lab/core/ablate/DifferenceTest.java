package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Means, standard errors and intervals over seeds, and differences to a baseline, by hand. */
class DifferenceTest {

  private static final Map<Long, Double> BASELINE = bySeed(1, 50, 52, 54);

  /** Values keyed by consecutive seeds from {@code firstSeed}. */
  private static Map<Long, Double> bySeed(long firstSeed, double... values) {
    Map<Long, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(firstSeed + i, values[i]);
    }
    return map;
  }

  @Test
  void theMeanHasAStudentTIntervalOverSeeds() {
    // 50, 52, 54: mean 52, sd sqrt((4 + 0 + 4) / 2) = 2, se 2 / sqrt(3) = 1.154701,
    // h = t(0.975, 2) * se = 4.302653 * 1.154701 = 4.968275.
    Stats s = Stats.of(List.of(50.0, 52.0, 54.0));
    assertEquals(2.0, s.sd(), 1e-12);
    assertEquals(1.154701, s.se(), 1e-6);
    assertEquals(4.968275, s.halfWidth(), 1e-6);
    assertEquals(47.031725, s.low(), 1e-6);
    assertEquals(56.968275, s.high(), 1e-6);
    assertEquals("52.0 \u00b1 5.0", s.format());
    assertEquals("[47.0, 57.0]", s.interval());
    // Two seeds 50 and 54: sd 2.828427, se 2, h = 12.706205 * 2 = 25.412409.
    assertEquals(25.412409, Stats.of(List.of(50.0, 54.0)).halfWidth(), 1e-6);
  }

  @Test
  void aSingleSeedHasNoInterval() {
    Stats one = Stats.of(List.of(60.0));
    assertFalse(one.hasInterval());
    assertTrue(Double.isNaN(one.se()));
    assertTrue(Double.isNaN(one.low()));
    assertEquals("60.0", one.format());
    assertEquals(Difference.NO_INTERVAL, one.interval());
    assertEquals(Stats.MISSING, Stats.of(List.of()).format());
    assertEquals(Stats.MISSING, Stats.of(List.of()).interval());

    Difference d = Difference.of(bySeed(1, 60), BASELINE);
    assertEquals(Difference.Method.NONE, d.method());
    assertEquals(8.0, d.delta(), 1e-12);
    assertFalse(d.hasInterval());
    assertFalse(d.withinNoise(), "no interval, so no claim either way");
    assertEquals("+8.0 (1 seed)", d.format());
    assertEquals("+8.0", d.formatDelta());
    assertEquals(Difference.NO_INTERVAL, d.interval());
    // The same single seed on both sides pairs, but one difference has no spread either.
    assertFalse(Difference.of(bySeed(1, 60), bySeed(1, 52)).hasInterval());
    assertEquals(Stats.MISSING, Difference.of(Map.of(), BASELINE).format());
    assertEquals(Stats.MISSING, Difference.of(Map.of(), BASELINE).interval());
  }

  @Test
  void sameSeedsArePairedAndAClearDifferenceIsNoNoise() {
    // Per seed 53 - 50 = 3, 54 - 52 = 2, 58 - 54 = 4: mean 3, sd sqrt((0 + 1 + 1) / 2) = 1,
    // se 1 / sqrt(3) = 0.577350, df 2, h = 4.302653 * 0.577350 = 2.484138: [0.515862, 5.484138].
    Difference d = Difference.of(bySeed(1, 53, 54, 58), BASELINE);
    assertEquals(Difference.Method.PAIRED, d.method());
    assertEquals(3.0, d.delta(), 1e-12);
    assertEquals(0.577350, d.se(), 1e-6);
    assertEquals(2.0, d.df());
    assertEquals(2.484138, d.halfWidth(), 1e-6);
    assertEquals(0.515862, d.low(), 1e-6);
    assertEquals(5.484138, d.high(), 1e-6);
    assertFalse(d.withinNoise());
    assertEquals("+3.0 \u00b1 2.5", d.format());
    assertEquals("+3.0", d.formatDelta());
    assertEquals("[0.5, 5.5] (paired)", d.interval());
  }

  @Test
  void aPairedDifferenceWhoseIntervalCoversZeroIsWithinNoise() {
    // Per seed 3, -1, 4: mean 2, sd sqrt((1 + 9 + 4) / 2) = 2.645751, se 1.527525,
    // h = 4.302653 * 1.527525 = 6.572410: [-4.572410, 8.572410] covers 0.
    Difference d = Difference.of(bySeed(1, 53, 51, 58), BASELINE);
    assertEquals(2.0, d.delta(), 1e-12);
    assertEquals(6.572410, d.halfWidth(), 1e-6);
    assertTrue(d.withinNoise());
    assertEquals("+2.0 \u00b1 6.6 \u2248", d.format());
    assertEquals("+2.0 \u2248", d.formatDelta());
    assertEquals("[-4.6, 8.6] (paired)", d.interval());
  }

  @Test
  void differentSeedsGetWelchsInterval() {
    // The values of the paired example on seeds 4 to 6: no pairs. Variant 53, 54, 58: mean 55,
    // variance (4 + 1 + 9) / 2 = 7; baseline variance 4. se^2 = 7/3 + 4/3 = 11/3, se = 1.914854;
    // df = (11/3)^2 / ((7/3)^2 / 2 + (4/3)^2 / 2) = (121/9) / (65/18) = 242/65 = 3.723077;
    // t(0.975, 242/65) = 2.859817 (scipy.stats.t.ppf), h = 5.476133: [-2.476133, 8.476133].
    Difference d = Difference.of(bySeed(4, 53, 54, 58), BASELINE);
    assertEquals(Difference.Method.WELCH, d.method());
    assertEquals(3.0, d.delta(), 1e-12);
    assertEquals(Math.sqrt(11.0 / 3), d.se(), 1e-12);
    assertEquals(242.0 / 65, d.df(), 1e-12);
    assertEquals(2.859817048, StudentT.quantile(0.975, 242.0 / 65), 1e-9);
    assertEquals(5.476133, d.halfWidth(), 1e-6);
    assertTrue(d.withinNoise(), "unpaired, the seed noise does not cancel");
    assertEquals("+3.0 \u00b1 5.5 \u2248", d.format());
    assertEquals("[-2.5, 8.5] (Welch)", d.interval());
    assertEquals("welch", d.method().label());
    assertEquals("", Difference.Method.NONE.label());
  }

  @Test
  void noSpreadAtAllGivesAnIntervalOfZeroWidth() {
    // Welch with both variances 0 has 0/0 degrees of freedom; the difference is exact anyway.
    Difference welch = Difference.of(bySeed(4, 51, 51), bySeed(1, 50, 50));
    assertEquals(0.0, welch.halfWidth());
    assertEquals("+1.0 \u00b1 0.0", welch.format());
    Difference same = Difference.of(bySeed(1, 50, 52), bySeed(1, 50, 52));
    assertEquals(0.0, same.halfWidth());
    assertTrue(same.withinNoise(), "[0, 0] covers 0");
  }
}
