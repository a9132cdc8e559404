package org.mm1lab.core.ablate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.HoconFiles;
import org.mm1lab.core.config.Origins;

/**
 * Reads a grid file (HOCON) strictly: unknown keys and values of the wrong kind are errors, all
 * reported at once, one line each with {@code file:line}.
 *
 * <pre>
 * ablation {
 *   name = connectors                      # folder-safe; default: the grid file's name
 *   description = "..."                    # optional, shown on the report
 *   base = "../quickstart.conf"            # the base run file, relative to the grid file
 *   set { "mm1.train.steps" = 300 }        # overrides common to every variant
 *   axes {                                 # the product of the axes; first varies slowest
 *     "mm1.model.connector.tokens" = [16, 64]          # a path axis: a list of values
 *     resolution {                                     # a named axis: labelled levels,
 *       low  { "mm1.model.encoder.image-size" = 32 }   #   each any overrides
 *       high { "mm1.model.encoder.image-size" = 64 }
 *     }
 *   }
 *   variants {                             # variants by name, added after the product
 *     no-text { "mm1.data.mix.sources" = { captioned = 1, interleaved = 1 } }
 *   }
 *   seeds = [1, 2]                         # each variant once per seed (mm1.seed)
 *   baseline = { "mm1.model.connector.tokens" = 16, resolution = low }   # or a variant name
 *   pretrain {                             # optional: each variant pretrains its encoder first
 *     settings { steps = 300, source = vecap }   # mm1.pretrain of every stage
 *     seed = shared                        # shared (default), per-seed, or a whole number
 *   }
 * }
 * </pre>
 *
 * <p>Encoder pretraining stages. With a {@code pretrain} section, every variant's encoder is first
 * pretrained alone, as {@code mm1 pretrain-encoder} does, with the variant's own {@code
 * mm1.model.encoder} section (its type and sizes; its {@code checkpoint} is cleared, so that the
 * stage starts from scratch), the variant's {@code mm1.pretrain} and data settings; the variant's
 * run then loads the stage's {@code encoder.safetensors} as its {@code
 * mm1.model.encoder.checkpoint}. {@code settings} holds {@code mm1.pretrain} keys (steps,
 * batch-size, lr, warmup, weight-decay, log-every, grad-clip, source: {@code captioned} alt-text or
 * {@code vecap} dense captions) and applies first: {@code set} (and {@code --set}), axes and
 * variants may override any of them by path, e.g. {@code "mm1.pretrain.source" = [captioned,
 * vecap]}. Variants whose stages come out the same (same encoder section, pretraining, data and
 * seed) share one stage, pretrained once. {@code seed}: {@code shared} pretrains one encoder for
 * all the grid's {@code seeds}, seeded with the variant's {@code mm1.seed} from before the seeds
 * apply (the paper pretrains each encoder once, so the spread over seeds measures the multimodal
 * training); {@code per-seed} pretrains one per seed; a number seeds every stage with it. {@code
 * pretrain {}} pretrains with the base run's {@code mm1.pretrain} as it is.
 *
 * <p>GridOverride keys are full config paths in quotes. A value replaces what the base has at that
 * path; a section value replaces the whole section (so an axis can swap a component with different
 * options: {@code "mm1.model.connector" = [{type = avg-pool}, {type = c-abstractor, depth = 1}]}).
 * Axes, levels and variants keep the order in which they are written (one per line). Without {@code
 * baseline} the first variant is the baseline.
 */
public final class GridReader {

  private static final String ROOT = "ablation";
  private static final List<String> KEYS =
      List.of(
          "name",
          "description",
          "base",
          "set",
          "axes",
          "variants",
          "seeds",
          "baseline",
          "pretrain");
  private static final List<String> PRETRAIN_KEYS = List.of("settings", "seed");
  private static final String PRETRAIN = "mm1.pretrain";

  private final List<String> problems = new ArrayList<>();

  private GridReader() {}

  /**
   * Reads and checks a grid file; the base run itself is checked later, with each variant.
   *
   * @throws UserException listing every problem found
   */
  public static AblationGrid read(Path file) {
    return new GridReader().parse(file);
  }

  private AblationGrid parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserException("grid file " + file + " does not exist or is not a file");
    }
    Config raw;
    try {
      raw = HoconFiles.parse(file, "grid file").resolve();
    } catch (ConfigException e) {
      throw new UserException(e.getMessage(), e);
    }
    for (Map.Entry<String, ConfigValue> e : raw.root().entrySet()) {
      if (!e.getKey().equals(ROOT)) {
        problem(
            e.getKey(),
            e.getValue(),
            "unknown key; a grid file keeps everything under " + ROOT + " { }");
      }
    }
    if (!raw.hasPath(ROOT) || raw.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
      problems.add(file + ": missing " + ROOT + " { base = ..., axes { ... } }");
      throw new UserException(problems);
    }
    ConfigObject root = raw.getObject(ROOT);
    for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        String hint =
            Suggestions.closest(e.getKey(), KEYS).map(s -> "; did you mean " + s + "?").orElse("");
        problem(
            ROOT + "." + e.getKey(),
            e.getValue(),
            "unknown key" + hint + "; known: " + String.join(", ", KEYS));
      }
    }
    String defaultName = file.getFileName().toString().replaceFirst("\\.conf$", "");
    String name = string(root, "name", VariantNames.safe(defaultName));
    if (!VariantNames.SAFE.matcher(name).matches()) {
      problem(
          ROOT + ".name",
          root.get("name"),
          "'" + name + "' is no folder name; use letters, digits, '.', '+', '-'");
    }
    String description = string(root, "description", "");
    String baseText = string(root, "base", null);
    Path base = null;
    if (baseText == null) {
      if (!root.containsKey("base")) {
        problems.add(
            file
                + ": "
                + ROOT
                + ".base is missing; name the base run file, e.g. base = \"../quickstart.conf\"");
      }
    } else {
      Path folder = file.toAbsolutePath().getParent();
      base = folder.resolve(baseText).normalize();
      if (!Files.isRegularFile(base)) {
        problem(ROOT + ".base", root.get("base"), "the base run file " + base + " does not exist");
      }
    }
    List<GridOverride> common = overrides(ROOT + ".set", section(root, "set"));
    List<GridAxis> axes = axes(section(root, "axes"));
    Map<String, List<GridOverride>> named = new LinkedHashMap<>();
    ConfigObject variants = section(root, "variants");
    for (Map.Entry<String, ConfigValue> e : inOrder(variants)) {
      String where = ROOT + ".variants." + e.getKey();
      if (!VariantNames.SAFE.matcher(e.getKey()).matches()) {
        problem(
            where,
            e.getValue(),
            "'" + e.getKey() + "' is no folder name; use letters, digits, '.', '+', '-'");
      }
      if (e.getValue().valueType() != ConfigValueType.OBJECT) {
        problem(where, e.getValue(), "expected { \"path\" = value, ... }");
        continue;
      }
      named.put(e.getKey(), overrides(where, (ConfigObject) e.getValue()));
    }
    List<Long> seeds = seeds(root.get("seeds"));
    GridPretrain pretrain = pretrain(root.get("pretrain"));
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    AblationGrid grid =
        new AblationGrid(name, description, file, base, common, axes, named, seeds, null);
    String baseline = baseline(grid, root.get("baseline"));
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    return new AblationGrid(
        name, description, file, base, common, axes, named, seeds, baseline, pretrain);
  }

  /** The {@code pretrain} section; null when the grid has none. */
  private GridPretrain pretrain(ConfigValue value) {
    if (value == null) {
      return null;
    }
    String where = ROOT + ".pretrain";
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(
          where,
          value,
          "expected a section, e.g. pretrain { settings { steps = 300 }, seed = shared }");
      return null;
    }
    ConfigObject section = (ConfigObject) value;
    for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
      if (!PRETRAIN_KEYS.contains(e.getKey())) {
        String hint =
            Suggestions.closest(e.getKey(), PRETRAIN_KEYS)
                .map(s -> "; did you mean " + s + "?")
                .orElse("");
        problem(
            where + "." + e.getKey(),
            e.getValue(),
            "unknown key" + hint + "; known: " + String.join(", ", PRETRAIN_KEYS));
      }
    }
    List<GridOverride> settings = new ArrayList<>();
    ConfigValue settingsValue = section.get("settings");
    if (settingsValue != null && settingsValue.valueType() != ConfigValueType.OBJECT) {
      problem(
          where + ".settings",
          settingsValue,
          "expected the mm1.pretrain keys in a section, e.g. settings { steps = 300 }");
    } else if (settingsValue != null) {
      List<String> known = pretrainKeys();
      for (Map.Entry<String, ConfigValue> e : inOrder((ConfigObject) settingsValue)) {
        String key = e.getKey();
        if (!known.contains(key)) {
          String hint =
              Suggestions.closest(key, known).map(s -> "; did you mean " + s + "?").orElse("");
          problem(
              where + ".settings." + quoted(key),
              e.getValue(),
              "mm1.pretrain has no key " + key + hint + "; known: " + String.join(", ", known));
          continue;
        }
        ConfigValueType type = e.getValue().valueType();
        if (type == ConfigValueType.OBJECT || type == ConfigValueType.LIST) {
          problem(
              where + ".settings." + key,
              e.getValue(),
              "expected a value, got " + e.getValue().render(ConfigRenderOptions.concise()));
          continue;
        }
        settings.add(new GridOverride(PRETRAIN + "." + key, e.getValue()));
      }
    }
    ConfigValue seed = section.get("seed");
    if (seed == null) {
      return new GridPretrain(settings, GridPretrain.Seeds.SHARED, null);
    }
    Object unwrapped = seed.unwrapped();
    if (unwrapped instanceof Integer || unwrapped instanceof Long) {
      return new GridPretrain(settings, GridPretrain.Seeds.FIXED, ((Number) unwrapped).longValue());
    }
    if ("shared".equals(unwrapped)) {
      return new GridPretrain(settings, GridPretrain.Seeds.SHARED, null);
    }
    if ("per-seed".equals(unwrapped)) {
      return new GridPretrain(settings, GridPretrain.Seeds.PER_SEED, null);
    }
    problem(
        where + ".seed",
        seed,
        "expected shared (one stage for all seeds), per-seed, or a whole number; got "
            + seed.render(ConfigRenderOptions.concise()));
    return null;
  }

  /** The keys of {@code mm1.pretrain} that the core's reference.conf defines. */
  private static List<String> pretrainKeys() {
    Config reference = ConfigFactory.defaultReference(GridReader.class.getClassLoader());
    if (!reference.hasPath(PRETRAIN)) {
      return List.of();
    }
    return reference.getObject(PRETRAIN).keySet().stream().sorted().toList();
  }

  private List<GridAxis> axes(ConfigObject section) {
    List<GridAxis> axes = new ArrayList<>();
    List<Map.Entry<String, ConfigValue>> entries = inOrder(section);
    Map<String, String> labels = labels(entries);
    for (Map.Entry<String, ConfigValue> e : entries) {
      String key = e.getKey();
      String where = ROOT + ".axes." + quoted(key);
      ConfigValue value = e.getValue();
      List<GridAxis.Level> levels = new ArrayList<>();
      boolean bare = false;
      if (value.valueType() == ConfigValueType.LIST) {
        if (!isPath(key)) {
          problem(
              where,
              value,
              "a list axis is keyed by a config path in quotes, e.g. \"mm1.model.connector.tokens\""
                  + " = [16, 64]");
          continue;
        }
        bare = ConfigUtil.splitPath(key).get(ConfigUtil.splitPath(key).size() - 1).equals("type");
        boolean typedSections = !((ConfigList) value).isEmpty();
        for (ConfigValue v : (ConfigList) value) {
          levels.add(
              new GridAxis.Level(VariantNames.levelLabel(v), List.of(new GridOverride(key, v))));
          typedSections &=
              v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).get("type") != null;
        }
        bare |= typedSections;
      } else if (value.valueType() == ConfigValueType.OBJECT) {
        if (!VariantNames.SAFE.matcher(key).matches()) {
          problem(where, value, "a named axis needs a name of letters, digits, '.', '+', '-'");
          continue;
        }
        for (Map.Entry<String, ConfigValue> level : inOrder((ConfigObject) value)) {
          String levelWhere = where + "." + level.getKey();
          if (level.getValue().valueType() != ConfigValueType.OBJECT) {
            problem(
                levelWhere,
                level.getValue(),
                "a level of a named axis is { \"path\" = value, ... }");
            continue;
          }
          levels.add(
              new GridAxis.Level(
                  VariantNames.safe(level.getKey()),
                  overrides(levelWhere, (ConfigObject) level.getValue())));
        }
      } else {
        problem(where, value, "expected a list of values, or { level { \"path\" = value } ... }");
        continue;
      }
      if (levels.isEmpty()) {
        problem(where, value, "an axis needs at least one value");
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (GridAxis.Level level : levels) {
        if (!seen.add(level.label())) {
          problem(
              where,
              value,
              "two values are labelled '" + level.label() + "'; use a named axis to label them");
        }
      }
      axes.add(new GridAxis(key, labels.get(key), levels, bare));
    }
    return axes;
  }

  /**
   * Short labels: a path axis by its last element, or more of its path when that is ambiguous; a
   * named axis by its name.
   */
  private static Map<String, String> labels(List<Map.Entry<String, ConfigValue>> entries) {
    Map<String, String> labels = new HashMap<>();
    for (int take = 1; take <= 8; take++) {
      Map<String, Integer> counts = new HashMap<>();
      Map<String, String> candidate = new HashMap<>();
      for (Map.Entry<String, ConfigValue> e : entries) {
        String key = e.getKey();
        String label = key;
        if (e.getValue().valueType() == ConfigValueType.LIST && isPath(key)) {
          List<String> parts = ConfigUtil.splitPath(key);
          label = String.join(".", parts.subList(Math.max(1, parts.size() - take), parts.size()));
        }
        candidate.put(key, label);
        counts.merge(label, 1, Integer::sum);
      }
      labels = candidate;
      if (counts.values().stream().allMatch(c -> c == 1)) {
        break;
      }
    }
    return labels;
  }

  private List<GridOverride> overrides(String where, ConfigObject section) {
    List<GridOverride> overrides = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : inOrder(section)) {
      if (!isPath(e.getKey())) {
        problem(
            where + "." + quoted(e.getKey()),
            e.getValue(),
            "expected a config path under mm1 in quotes, e.g. \"mm1.train.steps\" = 300");
        continue;
      }
      overrides.add(new GridOverride(e.getKey(), e.getValue()));
    }
    return overrides;
  }

  private List<Long> seeds(ConfigValue value) {
    List<Long> seeds = new ArrayList<>();
    if (value == null) {
      return seeds;
    }
    if (value.valueType() != ConfigValueType.LIST || ((ConfigList) value).isEmpty()) {
      problem(ROOT + ".seeds", value, "expected a list of whole numbers, e.g. seeds = [1, 2, 3]");
      return seeds;
    }
    for (ConfigValue v : (ConfigList) value) {
      Object n = v.unwrapped();
      if (!(n instanceof Integer || n instanceof Long)) {
        problem(ROOT + ".seeds", v, "expected a whole number, got " + v.render());
      } else if (seeds.contains(((Number) n).longValue())) {
        problem(ROOT + ".seeds", v, "seed " + n + " is listed twice");
      } else {
        seeds.add(((Number) n).longValue());
      }
    }
    return seeds;
  }

  /** The baseline's group name; null (the first variant) when the grid does not name one. */
  private String baseline(AblationGrid grid, ConfigValue value) {
    if (value == null) {
      return null;
    }
    String where = ROOT + ".baseline";
    List<String> groups = GridExpansion.groups(grid).stream().map(Variant::group).toList();
    if (value.valueType() == ConfigValueType.STRING) {
      String name = (String) value.unwrapped();
      if (!groups.contains(name)) {
        String hint =
            Suggestions.closest(name, groups).map(s -> "; did you mean " + s + "?").orElse("");
        problem(
            where,
            value,
            "no variant is named '"
                + name
                + "'"
                + hint
                + "; variants: "
                + String.join(", ", groups));
      }
      return name;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(where, value, "expected a variant name, or { axis = value, ... } for every axis");
      return null;
    }
    ConfigObject point = (ConfigObject) value;
    Map<String, String> levels = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : point.entrySet()) {
      GridAxis axis =
          grid.axes().stream().filter(a -> a.key().equals(e.getKey())).findFirst().orElse(null);
      if (axis == null) {
        List<String> keys = grid.axes().stream().map(GridAxis::key).toList();
        problem(
            where + "." + quoted(e.getKey()),
            e.getValue(),
            "no axis " + e.getKey() + "; axes: " + String.join(", ", keys));
        continue;
      }
      String level = VariantNames.levelLabel(e.getValue());
      if (!axis.levelLabels().contains(level)) {
        problem(
            where + "." + quoted(e.getKey()),
            e.getValue(),
            "the axis has no value "
                + level
                + "; values: "
                + String.join(", ", axis.levelLabels()));
        continue;
      }
      levels.put(axis.label(), level);
    }
    for (GridAxis axis : grid.axes()) {
      if (!point.containsKey(axis.key())) {
        problem(
            where,
            value,
            "gives no value for the axis " + axis.key() + "; a baseline needs one for every axis");
      }
    }
    return levels.size() == grid.axes().size() ? VariantNames.group(grid.axes(), levels) : null;
  }

  private String string(ConfigObject root, String key, String fallback) {
    ConfigValue value = root.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.valueType() != ConfigValueType.STRING) {
      problem(ROOT + "." + key, value, "expected text, got " + value.render());
      return fallback;
    }
    return (String) value.unwrapped();
  }

  private ConfigObject section(ConfigObject root, String key) {
    ConfigValue value = root.get(key);
    if (value == null) {
      return ConfigFactory.empty().root();
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(ROOT + "." + key, value, "expected a section { ... }, got " + value.render());
      return ConfigFactory.empty().root();
    }
    return (ConfigObject) value;
  }

  private void problem(String path, ConfigValue value, String message) {
    String where = value == null ? "" : " (" + Origins.describe(value.origin()) + ")";
    problems.add(path + where + ": " + message);
  }

  /** Whether a key names a setting of a run: a path under mm1 with at least two elements. */
  private static boolean isPath(String key) {
    try {
      List<String> parts = ConfigUtil.splitPath(key);
      return parts.size() >= 2 && parts.get(0).equals("mm1");
    } catch (ConfigException e) {
      return false;
    }
  }

  private static String quoted(String key) {
    return key.contains(".") ? "\"" + key + "\"" : key;
  }

  /**
   * A section's entries in the order written: HOCON objects keep no order, so entries are sorted by
   * the line they come from (then by key, for entries on one line).
   */
  public static List<Map.Entry<String, ConfigValue>> inOrder(ConfigObject section) {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(section.entrySet());
    entries.sort(
        Comparator.<Map.Entry<String, ConfigValue>>comparingInt(
                e -> e.getValue().origin().lineNumber())
            .thenComparing(Map.Entry::getKey));
    return entries;
  }
}
