package org.mm1lab.core.ablate.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mm1lab.core.ablate.AblationPlan;

/**
 * One side of a contrast: the variants (groups of runs that differ only in their seed) it takes,
 * either one variant by name or every variant at given axis levels ({@code tokens = 36} takes the
 * variants of every combination of the other axes' levels, and the side's value for a seed is the
 * mean over them: the marginal effect of a factorial grid).
 *
 * @param variant the variant's name, or null when the side is given by levels
 * @param levels axis label to level label; empty when the side is a variant
 */
public record Selection(String variant, Map<String, String> levels) {

  /** Checks that exactly one of the two is given, and copies the levels in their order. */
  public Selection {
    levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    if ((variant == null) == levels.isEmpty()) {
      throw new IllegalArgumentException("a selection is a variant or axis levels, not both");
    }
  }

  /** A side that is one variant. */
  public static Selection of(String variant) {
    return new Selection(Objects.requireNonNull(variant, "variant"), Map.of());
  }

  /** A side that is every variant at these axis levels. */
  public static Selection at(Map<String, String> levels) {
    return new Selection(null, levels);
  }

  /** The groups of {@code plan} this side takes, in the plan's order; empty when none. */
  public List<String> groups(AblationPlan plan) {
    List<String> groups = new ArrayList<>();
    for (String group : plan.groups()) {
      if (variant != null) {
        if (group.equals(variant)) {
          groups.add(group);
        }
      } else {
        Map<String, String> at = plan.runsOf(group).get(0).levels();
        if (levels.entrySet().stream().allMatch(e -> e.getValue().equals(at.get(e.getKey())))) {
          groups.add(group);
        }
      }
    }
    return groups;
  }

  /** {@code res-128}, or {@code tokens = 36} (several levels joined by commas). */
  public String describe() {
    if (variant != null) {
      return variant;
    }
    List<String> parts = new ArrayList<>();
    levels.forEach((axis, level) -> parts.add(axis + " = " + level));
    return String.join(", ", parts);
  }
}
