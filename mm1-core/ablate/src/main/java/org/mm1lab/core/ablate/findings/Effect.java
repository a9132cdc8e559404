package org.mm1lab.core.ablate.findings;

import java.util.Map;
import org.mm1lab.core.ablate.Difference;

/**
 * What a contrast measured at one shot count: the difference of its sides with its interval, and
 * the per-seed differences for the seeds both sides have, which orderings compare by seed.
 *
 * @param difference side a minus side b; null when nothing was measured
 * @param bySeed a minus b per seed both sides have; empty when nothing was measured
 * @param reason why nothing was measured, or why it has no interval; empty when it has one
 */
record Effect(Difference difference, Map<Long, Double> bySeed, String reason) {

  /** Copies the map. */
  Effect {
    bySeed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bySeed));
  }

  /** Nothing measured, for this reason. */
  static Effect missing(String reason) {
    return new Effect(null, Map.of(), reason);
  }

  /** Whether the difference has a 95% interval. */
  boolean measured() {
    return difference != null && difference.hasInterval();
  }
}
