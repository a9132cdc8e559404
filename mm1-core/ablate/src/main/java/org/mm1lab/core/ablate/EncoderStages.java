package org.mm1lab.core.ablate;

import com.google.gson.Gson;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.pretrain.PretrainSettings;

/**
 * Works out the encoder pretraining stages of a grid with a {@code pretrain} section, and which
 * stage each run loads. A run's stage is its own run file with the encoder's {@code checkpoint}
 * removed (a stage pretrains from scratch), {@code mm1.seed} as the grid's {@link
 * GridPretrain.Seeds} says, and {@code mm1.name} the stage's name.
 *
 * <p>A stage's identity is the SHA-256 of what determines the encoder it writes, read from the
 * loaded configuration (defaults included, so that a value written out and the same value left to
 * its default are one stage): the encoder section without {@code checkpoint}, {@code mm1.pretrain},
 * {@code mm1.data} without the settings pretraining does not read ({@code mix}, and {@code
 * workers}, {@code prefetch}, {@code packing}, which change speed only) and {@code mm1.seed}. Runs
 * whose stages have the same identity share one stage. Left out: {@code mm1.device} and plugin
 * folders (they change where and with what code, not what is asked for).
 *
 * <p>Every stage is checked as {@code mm1 pretrain-encoder} would check it before it starts (strict
 * keys and values, {@code mm1.pretrain}, components, the encoder's pretraining objective), so that
 * a grid whose stage cannot run fails before anything runs.
 */
public final class EncoderStages {

  /** The encoder option a run loads a pretrained encoder with. */
  static final String CHECKPOINT = "mm1.model.encoder.checkpoint";

  private static final String ENCODER = "mm1.model.encoder";

  /** Hex digits of the hash in a stage's name: enough to tell a grid's stages apart. */
  private static final int NAME_HASH = 8;

  private static final ConfigRenderOptions RENDER =
      ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false);

  private final Assembly assembly;

  /** Checks with the plugins and defaults of {@code assembly}. */
  public EncoderStages(Assembly assembly) {
    this.assembly = assembly;
  }

  /**
   * The stages of a grid and each run's stage.
   *
   * @param stages the distinct stages, in the order their first run runs
   * @param stageOf run name to stage name
   */
  public record Plan(List<EncoderStage> stages, Map<String, String> stageOf) {}

  /**
   * The stages of {@code runs}; none when the grid has no {@code pretrain} section.
   *
   * @throws UserException naming, for each problem of a stage, the variants whose stage has it
   */
  public Plan plan(AblationGrid grid, List<Variant> runs, Config base) {
    return plan(grid, runs, base, null);
  }

  /**
   * As {@link #plan(AblationGrid, List, Config)}, with each stage's run file written for a cluster
   * bundle: the inputs it names are recorded in {@code inputs} and named by their copies.
   *
   * @param inputs the bundle's inputs; null for run files that name their inputs as the grid does
   */
  public Plan plan(AblationGrid grid, List<Variant> runs, Config base, BundleInputs inputs) {
    GridPretrain pretrain = grid.pretrain();
    if (pretrain == null) {
      return new Plan(List.of(), Map.of());
    }
    Map<String, Variant> groups = new LinkedHashMap<>();
    for (Variant g : GridExpansion.groups(grid)) {
      groups.put(g.group(), g);
    }
    Map<String, Pending> byHash = new LinkedHashMap<>();
    Map<String, String> stageOf = new LinkedHashMap<>();
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (Variant run : runs) {
      Long seed =
          switch (pretrain.seeds()) {
            case SHARED -> null;
            case PER_SEED -> run.seed();
            case FIXED -> pretrain.fixedSeed();
          };
      List<GridOverride> overrides =
          GridExpansion.ordered(GridExpansion.settings(grid, groups.get(run.group()), seed));
      Config config = Overrides.apply(base, overrides).withoutPath(CHECKPOINT);
      RunConfig loaded;
      try {
        loaded = assembly.loader().load(grid.base().toString(), config, List.of());
      } catch (UserException e) {
        e.problems()
            .forEach(p -> problems.computeIfAbsent(p, k -> new ArrayList<>()).add(run.name()));
        continue;
      } catch (ConfigException e) {
        problems.computeIfAbsent(e.getMessage(), k -> new ArrayList<>()).add(run.name());
        continue;
      }
      String hash = hash(loaded.config());
      Pending stage = byHash.get(hash);
      if (stage == null) {
        List<String> stageProblems = problemsOf(loaded);
        if (!stageProblems.isEmpty()) {
          stageProblems.forEach(
              p -> problems.computeIfAbsent(p, k -> new ArrayList<>()).add(run.name()));
          continue;
        }
        stage =
            new Pending(
                name(loaded.config(), pretrain.seeds() == GridPretrain.Seeds.PER_SEED, hash),
                hash,
                loaded,
                config,
                overrides);
        byHash.put(hash, stage);
      }
      stage.runs.add(run.name());
      stageOf.put(run.name(), stage.name);
    }
    if (!problems.isEmpty()) {
      List<String> lines = new ArrayList<>();
      problems.forEach(
          (p, names) ->
              lines.add(
                  "encoder stage of "
                      + (names.size() == 1 ? "variant " : "variants ")
                      + String.join(", ", names.subList(0, Math.min(4, names.size())))
                      + (names.size() > 4 ? " and " + (names.size() - 4) + " more" : "")
                      + ": "
                      + p));
      throw new UserException(lines);
    }
    List<EncoderStage> stages = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Pending p : byHash.values()) {
      if (inputs != null) {
        List<String> absent = new ArrayList<>();
        p.config = inputs.rewrite(p.config, absent);
        absent.forEach(a -> missing.add("encoder stage " + p.name + ": " + a));
      }
      Config mm1 = p.loaded.config();
      stages.add(
          new EncoderStage(
              p.name,
              p.hash,
              mm1.getLong("mm1.seed"),
              mm1.getInt("mm1.pretrain.steps"),
              mm1.getString("mm1.pretrain.source"),
              p.overrides.stream().map(GridOverride::describe).toList(),
              p.runs,
              render(grid, p)));
    }
    if (!missing.isEmpty()) {
      throw new UserException(missing);
    }
    return new Plan(stages, stageOf);
  }

  /** What {@code mm1 pretrain-encoder} checks before it starts, as problem lines. */
  private List<String> problemsOf(RunConfig loaded) {
    try {
      RunPlan plan = assembly.plan(loaded);
      PretrainSettings.from(loaded, plan.data());
      assembly.assemble(plan);
      return List.of();
    } catch (UserException e) {
      return e.problems();
    } catch (ConfigException e) {
      return List.of(e.getMessage());
    }
  }

  /**
   * The SHA-256, in hex, of what determines the encoder a stage writes (see the class comment), as
   * JSON with sorted keys.
   */
  static String hash(Config effective) {
    Map<String, Object> identity = new TreeMap<>();
    ConfigObject encoder = effective.getObject(ENCODER).withoutKey("checkpoint");
    identity.put("encoder", canonical(encoder));
    identity.put("pretrain", canonical(effective.getObject("mm1.pretrain")));
    identity.put(
        "data",
        canonical(
            effective
                .getObject("mm1.data")
                .withoutKey("mix")
                .withoutKey("workers")
                .withoutKey("prefetch")
                .withoutKey("packing")));
    identity.put("seed", effective.getValue("mm1.seed").unwrapped());
    String json = new Gson().toJson(identity);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** A value with every object's keys sorted, so that equal settings give equal JSON. */
  private static Object canonical(ConfigValue value) {
    return sorted(value.unwrapped());
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(EncoderStages::sorted).toList();
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      // 20 and 20.0 are one setting.
      return n.longValue();
    }
    return value;
  }

  /**
   * A readable name: the encoder type, its image size and width where it has those options, the
   * pretraining source, the seed when stages follow the runs' seeds, and the hash's first digits.
   */
  static String name(Config effective, boolean withSeed, String hash) {
    List<String> parts = new ArrayList<>();
    parts.add(VariantNames.safe(effective.getString(ENCODER + ".type")));
    if (effective.hasPath(ENCODER + ".image-size")) {
      parts.add(VariantNames.safe(effective.getValue(ENCODER + ".image-size").render()) + "px");
    }
    if (effective.hasPath(ENCODER + ".width")) {
      parts.add("w" + VariantNames.safe(effective.getValue(ENCODER + ".width").render()));
    }
    parts.add(VariantNames.safe(effective.getString("mm1.pretrain.source")));
    if (withSeed) {
      parts.add("seed-" + effective.getLong("mm1.seed"));
    }
    parts.add(hash.substring(0, NAME_HASH));
    return String.join("_", parts);
  }

  private static String render(AblationGrid grid, Pending stage) {
    Config config =
        stage.config.withValue(
            "mm1.name",
            ConfigValueFactory.fromAnyRef(
                stage.name, grid.file().getFileName() + " (set by mm1 ablate)"));
    StringBuilder text = new StringBuilder();
    text.append("# Encoder pretraining stage ")
        .append(stage.name)
        .append(" of the ablation ")
        .append(grid.name())
        .append(", written by mm1 ablate: change the grid file, not this file.\n")
        .append("# Identity (SHA-256 of encoder, pretrain, data and seed): ")
        .append(stage.hash)
        .append("\n# Loaded by: ")
        .append(String.join(", ", stage.runs))
        .append("\n# The base run ")
        .append(grid.base())
        .append(" without mm1.model.encoder.checkpoint, with:\n");
    for (GridOverride o : stage.overrides) {
      text.append("#   ").append(o.describe()).append("   (").append(o.origin()).append(")\n");
    }
    return text.append(config.root().render(RENDER)).toString();
  }

  /** A stage while the runs are gathered. */
  private static final class Pending {
    final String name;
    final String hash;
    final RunConfig loaded;
    // Its run file's settings; a bundle's names its inputs by their copies.
    Config config;
    final List<GridOverride> overrides;
    final List<String> runs = new ArrayList<>();

    Pending(
        String name, String hash, RunConfig loaded, Config config, List<GridOverride> overrides) {
      this.name = name;
      this.hash = hash;
      this.loaded = loaded;
      this.config = config;
      this.overrides = overrides;
    }
  }
}
