package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mm1lab.core.UserException;

/**
 * Turns a grid into its runs: the product of the axes (the first axis varies slowest), then the
 * variants listed by name, each once per seed. Runs are ordered seed by seed, so that one seed of
 * every variant finishes before the second starts and an interrupted ablation already holds a
 * complete comparison.
 *
 * <p>A run's overrides are, in order: the {@code settings} of the grid's {@code pretrain} section
 * (as {@code mm1.pretrain.*}), the grid's common {@code set}, its axis levels (or its listed
 * variant's settings), {@code mm1.seed}, and {@code mm1.name} (the run's name). They are applied
 * shallowest path first (stably), so that a section replaced by one override never wipes a setting
 * inside it given by another; for the same path the later one wins.
 */
public final class GridExpansion {

  private GridExpansion() {}

  /** The grid's groups (rows of the comparison) in order, without seeds. */
  public static List<Variant> groups(AblationGrid grid) {
    List<Variant> groups = new ArrayList<>();
    List<Map<String, String>> points = new ArrayList<>();
    List<List<GridOverride>> settings = new ArrayList<>();
    product(grid.axes(), 0, new LinkedHashMap<>(), new ArrayList<>(), points, settings);
    if (!grid.axes().isEmpty() || grid.named().isEmpty()) {
      for (int i = 0; i < points.size(); i++) {
        String name = VariantNames.group(grid.axes(), points.get(i));
        groups.add(new Variant(name, name, null, points.get(i), settings.get(i)));
      }
    }
    for (Map.Entry<String, List<GridOverride>> named : grid.named().entrySet()) {
      groups.add(new Variant(named.getKey(), named.getKey(), null, Map.of(), named.getValue()));
    }
    return groups;
  }

  /**
   * Every run of the grid.
   *
   * @throws UserException when two runs would get the same name
   */
  public static List<Variant> expand(AblationGrid grid) {
    List<Variant> groups = groups(grid);
    List<Long> seeds = grid.seeds().isEmpty() ? Collections.singletonList(null) : grid.seeds();
    List<Variant> runs = new ArrayList<>();
    Map<String, Variant> byName = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Long seed : seeds) {
      for (Variant group : groups) {
        String name = VariantNames.run(group.group(), seed);
        List<GridOverride> overrides = new ArrayList<>(settings(grid, group, seed));
        overrides.add(Overrides.of("mm1.name", name, grid.file()));
        Variant run = new Variant(name, group.group(), seed, group.levels(), ordered(overrides));
        Variant earlier = byName.put(name, run);
        if (earlier != null && Objects.equals(seed, seeds.get(0))) {
          problems.add(
              grid.file()
                  + ": two variants are named "
                  + name
                  + " ("
                  + earlier.levels()
                  + " and "
                  + run.levels()
                  + "); give the levels distinct labels, e.g. with a named axis");
        }
        runs.add(run);
      }
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    return runs;
  }

  /**
   * What a group's run changes in the base, its name aside, in the order written: the common {@code
   * set}, the pretraining stages' {@code settings}, the group's own, then {@code seed} unless null.
   * Encoder stages use it with the seed their policy gives.
   */
  static List<GridOverride> settings(AblationGrid grid, Variant group, Long seed) {
    List<GridOverride> overrides = new ArrayList<>();
    if (grid.pretrain() != null) {
      overrides.addAll(grid.pretrain().settings());
    }
    overrides.addAll(grid.common());
    overrides.addAll(group.overrides());
    if (seed != null) {
      overrides.add(Overrides.of("mm1.seed", seed, grid.file()));
    }
    return overrides;
  }

  /** Shallowest path first; the sort is stable, so later overrides of a path still win. */
  static List<GridOverride> ordered(List<GridOverride> overrides) {
    List<GridOverride> sorted = new ArrayList<>(overrides);
    sorted.sort(Comparator.comparingInt(GridOverride::depth));
    return sorted;
  }

  private static void product(
      List<GridAxis> axes,
      int index,
      Map<String, String> point,
      List<GridOverride> settings,
      List<Map<String, String>> points,
      List<List<GridOverride>> allSettings) {
    if (index == axes.size()) {
      points.add(new LinkedHashMap<>(point));
      allSettings.add(new ArrayList<>(settings));
      return;
    }
    GridAxis axis = axes.get(index);
    for (GridAxis.Level level : axis.levels()) {
      point.put(axis.label(), level.label());
      int size = settings.size();
      settings.addAll(level.overrides());
      product(axes, index + 1, point, settings, points, allSettings);
      settings.subList(size, settings.size()).clear();
      point.remove(axis.label());
    }
  }
}
