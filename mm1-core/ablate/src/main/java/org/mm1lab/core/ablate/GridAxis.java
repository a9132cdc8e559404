package org.mm1lab.core.ablate;

import java.util.List;
import java.util.Objects;

/**
 * One axis of a grid: the levels it takes, each a set of overrides. A path axis ({@code
 * "mm1.model.connector.tokens" = [16, 64]}) has one override per level, at its path; a named axis
 * ({@code resolution { low { ... }, high { ... } }}) gives each level any overrides.
 *
 * @param key the key in the grid file: the path of a path axis, the name of a named axis
 * @param label the short name used in variant names, tables and charts, e.g. {@code tokens}
 * @param levels the levels in the order written
 * @param bare whether names show a level without the label: for an axis over a {@code type}, or
 *     over sections that each name their {@code type}, whose levels name themselves
 */
public record GridAxis(String key, String label, List<Level> levels, boolean bare) {

  /** Checks the fields. */
  public GridAxis {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(label, "label");
    levels = List.copyOf(levels);
  }

  /**
   * One value of an axis.
   *
   * @param label the value as shown in names and tables, e.g. {@code 64} or {@code c-abstractor}
   * @param overrides what a variant at this level changes
   */
  public record Level(String label, List<GridOverride> overrides) {
    /** Checks the fields. */
    public Level {
      Objects.requireNonNull(label, "label");
      overrides = List.copyOf(overrides);
    }
  }

  /** The level labels in order. */
  public List<String> levelLabels() {
    return levels.stream().map(Level::label).toList();
  }
}
