package org.mm1lab.core.ablate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.HoconFiles;
import org.mm1lab.core.config.RunConfig;

/**
 * Makes and checks the run file of every variant before anything runs: the base run with the
 * variant's overrides, loaded and assembled exactly as {@code mm1 run} will (strict keys, values,
 * component sizes). What is checked is what runs: the text returned here is written as the
 * variant's {@code variant.conf} and is the file its run is started with.
 */
public final class VariantConfigs {

  private static final ConfigRenderOptions RENDER =
      ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false);

  /** At most this many variant names are listed on one problem line. */
  private static final int NAMES_SHOWN = 4;

  private final Assembly assembly;
  private final BundleInputs inputs;

  /** Checks with the plugins and defaults of {@code assembly}. */
  public VariantConfigs(Assembly assembly) {
    this(assembly, null);
  }

  /**
   * Checks with the plugins and defaults of {@code assembly}, and writes run files for a cluster
   * bundle: every input they name is recorded in {@code inputs} and named by its copy in the bundle
   * (an input that does not exist is a problem of the variants that name it).
   *
   * @param inputs the bundle's inputs; null for run files that name their inputs as the grid does
   */
  public VariantConfigs(Assembly assembly, BundleInputs inputs) {
    this.assembly = assembly;
    this.inputs = inputs;
  }

  /**
   * The run file text of every run, by name, in order.
   *
   * @throws UserException naming, for each problem, the variants that have it; runs that differ
   *     only in their seed are checked once
   */
  public Map<String, String> check(AblationGrid grid, List<Variant> runs) {
    return check(grid, runs, Map.of());
  }

  /**
   * The run file text of every run, as {@link #check(AblationGrid, List)}, where the runs named in
   * {@code checkpoints} load that encoder file ({@code mm1.model.encoder.checkpoint}), the output
   * of their encoder stage. Such a run is checked without the checkpoint, which does not exist
   * before its stage has run; the runner starts a run only once its stage's file is in place.
   */
  public Map<String, String> check(
      AblationGrid grid, List<Variant> runs, Map<String, java.nio.file.Path> checkpoints) {
    Config base = parseBase(grid);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, Boolean> checkedGroups = new LinkedHashMap<>();
    for (Variant run : runs) {
      Config config = Overrides.apply(base, run.overrides());
      java.nio.file.Path checkpoint = checkpoints.get(run.name());
      Config checked = config;
      if (checkpoint != null) {
        checked = config.withoutPath(EncoderStages.CHECKPOINT);
        config =
            config.withValue(
                EncoderStages.CHECKPOINT,
                com.typesafe.config.ConfigValueFactory.fromAnyRef(
                    checkpoint.toString(),
                    grid.file().getFileName() + " (set by mm1 ablate: its encoder stage)"));
      }
      List<String> missing = new ArrayList<>();
      if (inputs != null) {
        // A stage's encoder is made in the bundle, not copied into it.
        Config rewritten = inputs.rewrite(checked, missing);
        config =
            checkpoint == null
                ? rewritten
                : rewritten.withValue(
                    EncoderStages.CHECKPOINT, config.getValue(EncoderStages.CHECKPOINT));
        for (String problem : missing) {
          problems.computeIfAbsent(problem, p -> new ArrayList<>()).add(run.group());
        }
      }
      // A missing input is its one problem: the component that would load it says no more.
      if (missing.isEmpty() && checkedGroups.putIfAbsent(run.group(), true) == null) {
        for (String problem : problemsOf(grid, checked)) {
          problems.computeIfAbsent(problem, p -> new ArrayList<>()).add(run.group());
        }
      }
      texts.put(run.name(), render(grid, run, config, checkpoint));
    }
    if (!problems.isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : problems.entrySet()) {
        lines.add(names(e.getValue()) + ": " + e.getKey());
      }
      throw new UserException(lines);
    }
    return texts;
  }

  private List<String> problemsOf(AblationGrid grid, Config config) {
    try {
      RunConfig loaded = assembly.loader().load(grid.base().toString(), config, List.of());
      assembly.assemble(loaded);
      return List.of();
    } catch (UserException e) {
      return e.problems();
    } catch (ConfigException e) {
      return List.of(e.getMessage());
    }
  }

  private static String names(List<String> variants) {
    String shown = String.join(", ", variants.subList(0, Math.min(NAMES_SHOWN, variants.size())));
    int more = variants.size() - NAMES_SHOWN;
    return (variants.size() == 1 ? "variant " : "variants ")
        + shown
        + (more > 0 ? " and " + more + " more" : "");
  }

  static Config parseBase(AblationGrid grid) {
    try {
      return HoconFiles.parse(grid.base(), "base run file")
          .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    } catch (ConfigException e) {
      throw new UserException("base run file: " + e.getMessage(), e);
    }
  }

  private static String render(
      AblationGrid grid, Variant run, Config config, java.nio.file.Path checkpoint) {
    StringBuilder text = new StringBuilder();
    text.append("# Variant ")
        .append(run.name())
        .append(" of the ablation ")
        .append(grid.name())
        .append(", written by mm1 ablate: change the grid file, not this file.\n# The base run ")
        .append(grid.base())
        .append(" with:\n");
    for (GridOverride o : run.overrides()) {
      text.append("#   ").append(o.describe()).append("   (").append(o.origin()).append(")\n");
    }
    if (checkpoint != null) {
      text.append("#   ")
          .append(EncoderStages.CHECKPOINT)
          .append("=\"")
          .append(checkpoint)
          .append("\"   (its encoder pretraining stage's output)\n");
    }
    return text.append(config.root().render(RENDER)).toString();
  }
}
