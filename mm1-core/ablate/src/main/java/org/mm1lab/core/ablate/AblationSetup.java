package org.mm1lab.core.ablate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * From a grid file to an ablation folder ready to run: reads the grid, expands it, checks every
 * variant and encoder stage (nothing is written when one fails), refuses a folder whose variants
 * were run with other settings, then writes {@code ablation.json}, the copies of the grid and base
 * files, each variant's {@code variant.conf} and each unfinished stage's {@code stage.conf}.
 */
public final class AblationSetup {

  private final Assembly assembly;

  /** Checks variants with the plugins and defaults of {@code assembly}. */
  public AblationSetup(Assembly assembly) {
    this.assembly = assembly;
  }

  /**
   * A prepared ablation.
   *
   * @param grid the grid
   * @param runs every run, in the order they run
   * @param folder the ablation folder
   * @param plan what {@code ablation.json} records
   * @param stages the encoder pretraining stages, in the order they run; empty for none
   * @param inputs for a cluster bundle, the inputs copied into it: each copy's path relative to the
   *     folder, with the path the grid gave; empty otherwise
   */
  public record Prepared(
      AblationGrid grid,
      List<Variant> runs,
      AblationFolder folder,
      AblationPlan plan,
      List<EncoderStage> stages,
      Map<String, String> inputs) {

    /** A prepared ablation without encoder stages. */
    public Prepared(
        AblationGrid grid, List<Variant> runs, AblationFolder folder, AblationPlan plan) {
      this(grid, runs, folder, plan, List.of(), Map.of());
    }
  }

  /**
   * Prepares the folder of a grid.
   *
   * @param gridFile the grid file
   * @param out the folder, or null for {@code runs/ablations/<name>}
   * @throws UserException for any problem with the grid, a variant or the folder
   */
  public Prepared prepare(Path gridFile, Path out) {
    return prepare(gridFile, out, List.of());
  }

  /**
   * Prepares the folder of a grid with extra overrides for every variant, applied after the grid's
   * own {@code set} (for a quick check with fewer steps, say).
   *
   * @param sets {@code path=value} strings, as for {@code --set}
   */
  public Prepared prepare(Path gridFile, Path out, List<String> sets) {
    return prepare(gridFile, out, sets, false);
  }

  /**
   * Prepares the folder of a grid, as {@link #prepare(Path, Path, List)}; for a cluster bundle
   * ({@code bundle} true) the run files name every path relative to the folder, which the jobs make
   * their working directory: a stage's encoder by its place in {@code stages/}, every other input
   * (checkpoints, tokenizer, data files) by its copy in {@code inputs/} (see {@link BundleInputs}).
   *
   * @throws UserException also for an input that does not exist, naming the variants or stages that
   *     name it; nothing is written then
   */
  public Prepared prepare(Path gridFile, Path out, List<String> sets, boolean bundle) {
    AblationGrid read = GridReader.read(gridFile);
    List<GridOverride> common = new ArrayList<>(read.common());
    for (String set : sets) {
      common.add(parseSet(set));
    }
    AblationGrid grid = read.withCommon(common);
    List<Variant> runs = GridExpansion.expand(grid);
    AblationFolder folder =
        new AblationFolder(out != null ? out : Ablation.defaultFolder(grid.name()));
    BundleInputs inputs = bundle ? new BundleInputs(folder.root()) : null;
    EncoderStages.Plan stages =
        new EncoderStages(assembly).plan(grid, runs, VariantConfigs.parseBase(grid), inputs);
    Map<String, Path> checkpoints = new java.util.LinkedHashMap<>();
    stages
        .stageOf()
        .forEach(
            (run, stage) ->
                checkpoints.put(
                    run,
                    bundle
                        ? folder.root().relativize(folder.stageWeights(stage))
                        : folder.stageWeights(stage)));
    Map<String, String> texts = new VariantConfigs(assembly, inputs).check(grid, runs, checkpoints);
    refuseOtherSettings(folder, texts);
    AblationPlan plan = AblationPlan.of(grid, runs, stages);
    try {
      Files.createDirectories(folder.variants());
      AtomicFiles.copy(grid.file(), folder.gridCopy());
      AtomicFiles.copy(grid.base(), folder.baseCopy());
      AtomicFiles.writeString(folder.plan(), plan.toJson());
      if (inputs != null) {
        inputs.copy();
      }
      for (Map.Entry<String, String> e : texts.entrySet()) {
        AtomicFiles.writeString(folder.variantConfig(e.getKey()), e.getValue());
      }
      for (EncoderStage stage : stages.stages()) {
        // A finished stage keeps the run file it ran with.
        if (!folder.stageComplete(stage.name())) {
          Files.createDirectories(folder.stage(stage.name()));
          AtomicFiles.writeString(folder.stageConfig(stage.name()), stage.text());
        }
      }
    } catch (IOException e) {
      throw new UserException(
          "cannot write the ablation folder " + folder.root() + ": " + e.getMessage(), e);
    }
    return new Prepared(
        grid, runs, folder, plan, stages.stages(), inputs == null ? Map.of() : inputs.copied());
  }

  private static GridOverride parseSet(String set) {
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw new UserException(
          "--set " + set + ": expected path=value, e.g. --set mm1.train.steps=20");
    }
    String path = set.substring(0, eq).trim();
    String origin = "--set " + set;
    try {
      com.typesafe.config.Config parsed =
          com.typesafe.config.ConfigFactory.parseString(
              "x = " + set.substring(eq + 1).trim(),
              com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(origin));
      com.typesafe.config.ConfigUtil.splitPath(path);
      return new GridOverride(path, parsed.getValue("x"));
    } catch (com.typesafe.config.ConfigException e) {
      return new GridOverride(
          path,
          com.typesafe.config.ConfigValueFactory.fromAnyRef(set.substring(eq + 1).trim(), origin));
    }
  }

  /** A variant folder that already holds another configuration would mix two experiments. */
  private static void refuseOtherSettings(AblationFolder folder, Map<String, String> texts) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : texts.entrySet()) {
      Path existing = folder.variantConfig(e.getKey());
      try {
        if (Files.isRegularFile(existing)
            && !settings(Files.readString(existing, StandardCharsets.UTF_8))
                .equals(settings(e.getValue()))) {
          problems.add(
              existing
                  + " holds other settings than the grid now gives this variant; give another"
                  + " --out, or delete "
                  + folder.variant(e.getKey())
                  + " to run it again");
        }
      } catch (IOException ex) {
        problems.add("cannot read " + existing + ": " + ex.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
  }

  /** The settings of a variant file, without its comment header (which names the grid's lines). */
  private static String settings(String text) {
    return text.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
  }
}
