package org.mm1lab.core.ablate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of an ablation: the base run with some overrides, in its own folder {@code
 * variants/<name>}. Runs that differ only in their seed form a group, one row of the comparison.
 *
 * @param name the run's name and folder name, e.g. {@code c-abstractor_tokens-64_seed-1}
 * @param group the name without the seed, e.g. {@code c-abstractor_tokens-64}
 * @param seed the value of {@code mm1.seed}, or null when the grid has no seed axis
 * @param levels axis label to level label, for the axes the variant lies on (empty for a variant
 *     listed by name)
 * @param overrides what the run changes in the base, in the order they are applied
 */
public record Variant(
    String name,
    String group,
    Long seed,
    Map<String, String> levels,
    List<GridOverride> overrides) {

  /** Checks the fields. */
  public Variant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    overrides = List.copyOf(overrides);
  }
}
