package org.mm1lab.core.ablate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;

/** Applies overrides to a configuration, and makes the ones the ablation adds itself. */
final class Overrides {

  private Overrides() {}

  /** An override the grid implies (seed, name), attributed to the grid file. */
  static GridOverride of(String path, Object value, Path gridFile) {
    return new GridOverride(
        path,
        ConfigValueFactory.fromAnyRef(value, gridFile.getFileName() + " (set by mm1 ablate)"));
  }

  /**
   * {@code base} with every override applied in order; each replaces the value at its path, a
   * section included, and keeps its origin.
   */
  static Config apply(Config base, List<GridOverride> overrides) {
    Config config = base;
    for (GridOverride o : overrides) {
      config = config.withValue(o.path(), o.value());
    }
    return config;
  }
}
