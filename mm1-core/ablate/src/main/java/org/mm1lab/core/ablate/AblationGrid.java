package org.mm1lab.core.ablate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A grid file, read and checked (see {@link GridReader} for the format): a base run, overrides
 * common to every variant, axes whose product gives variants, variants listed by name, seeds, and
 * the baseline the comparison is made against.
 *
 * @param name the ablation's name (its default folder is {@code runs/ablations/<name>})
 * @param description free text shown on the report, or empty
 * @param file the grid file
 * @param base the base run file, resolved against the grid file's folder
 * @param common overrides applied to every variant
 * @param axes the axes, in the order written
 * @param named variants listed by name, in the order written: name to overrides
 * @param seeds values of {@code mm1.seed}, each giving a run of every variant; empty for none
 * @param baseline the baseline's group name, or null for the first variant
 * @param pretrain the encoder pretraining stages, or null when variants load no stage
 */
public record AblationGrid(
    String name,
    String description,
    Path file,
    Path base,
    List<GridOverride> common,
    List<GridAxis> axes,
    Map<String, List<GridOverride>> named,
    List<Long> seeds,
    String baseline,
    GridPretrain pretrain) {

  /** Checks the fields. */
  public AblationGrid {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(base, "base");
    common = List.copyOf(common);
    axes = List.copyOf(axes);
    named = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(named));
    seeds = List.copyOf(seeds);
  }

  /** A grid without encoder pretraining stages. */
  public AblationGrid(
      String name,
      String description,
      Path file,
      Path base,
      List<GridOverride> common,
      List<GridAxis> axes,
      Map<String, List<GridOverride>> named,
      List<Long> seeds,
      String baseline) {
    this(name, description, file, base, common, axes, named, seeds, baseline, null);
  }

  /** This grid with other common overrides (for {@code --set}). */
  public AblationGrid withCommon(List<GridOverride> newCommon) {
    return new AblationGrid(
        name, description, file, base, newCommon, axes, named, seeds, baseline, pretrain);
  }
}
