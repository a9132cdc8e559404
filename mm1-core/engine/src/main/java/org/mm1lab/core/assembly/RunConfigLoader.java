package org.mm1lab.core.assembly;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mm1lab.api.Family;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.ConfigErrors;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.config.HoconFiles;
import org.mm1lab.core.config.Origins;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.plugin.DiscoveredFactory;
import org.mm1lab.core.plugin.PluginRegistry;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * Loads a run file into a {@link RunConfig} and checks it strictly.
 *
 * <p>Precedence, highest first: {@code --set} overrides (later ones win), the run file, the {@code
 * reference.conf} of the core and of every plugin jar. A component section ({@code
 * mm1.model.encoder}, {@code mm1.model.connector}, {@code mm1.model.decoder}, {@code mm1.data.mix})
 * names a factory with {@code type} and is merged over that factory's defaults, {@code
 * mm1-plugin-defaults.<family>.<type>}. Rejected, all reported at once, one line each: syntax
 * errors, unknown keys (with the closest known key), unknown types (with the known ones and the
 * closest), keys a factory does not declare, and values whose type does not match the default's.
 */
public final class RunConfigLoader {

  private static final String ROOT = "mm1";
  private static final String TYPE = "type";

  private final PluginRegistry registry;
  private final Config reference;

  /**
   * @param registry the factories component sections may select
   * @param reference the merged {@code reference.conf} of the core and every plugin, as {@link
   *     ConfigSources#referenceFor(ClassLoader)} loads it
   */
  public RunConfigLoader(PluginRegistry registry, Config reference) {
    this.registry = registry;
    this.reference = reference;
  }

  /**
   * Loads a run file.
   *
   * @param file the run file, HOCON
   * @param overrides {@code path=value} strings; each value is parsed as HOCON, and taken as a
   *     plain string if it does not parse
   * @throws UserException listing every problem found
   */
  public RunConfig load(Path file, List<String> overrides) {
    return load(file.toString(), HoconFiles.parse(file, "run file"), overrides);
  }

  /**
   * Loads a run configuration already parsed (for tests and generated runs).
   *
   * @param source what to call it in messages
   */
  public RunConfig load(String source, Config fileConfig, List<String> overrides) {
    Config user = fileConfig;
    for (String override : overrides) {
      user = ConfigSources.parseOverride(override).withFallback(user);
    }
    Config resolved;
    try {
      resolved = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      throw new UserException(ConfigErrors.describe(e), e);
    }

    List<String> problems = new ArrayList<>();
    checkCoreKeys(user, problems);
    Map<Family, String> types = new EnumMap<>(Family.class);
    Config effective = resolved;
    for (Family family : Family.values()) {
      Config merged = mergeComponent(family, resolved, problems);
      if (merged != null) {
        types.put(family, merged.getString(TYPE));
        effective = effective.withValue(ComponentSlots.pathOf(family), merged.root());
      }
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    return new RunConfig(source, effective, types);
  }

  /** Keys outside component sections must exist in the core's reference.conf, with its type. */
  private void checkCoreKeys(Config user, List<String> problems) {
    Set<String> known = knownCorePaths();
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String path = entry.getKey();
      String where = " (" + Origins.describe(entry.getValue().origin()) + ")";
      if (!path.startsWith(ROOT + ".")) {
        problems.add(
            path + where + ": unknown key; a run file keeps everything under " + ROOT + " { }");
        continue;
      }
      if (ComponentSlots.familyAt(path) != null) {
        continue;
      }
      if (!reference.hasPathOrNull(path) && !inOpenSection(reference, path)) {
        String parent = firstObjectLeafAbove(path);
        if (parent != null) {
          problems.add(
              path + where + ": " + parent + " is a value, not a section; remove the sub-key");
          continue;
        }
        String hint =
            Suggestions.closest(path, known).map(s -> "; did you mean " + s + "?").orElse("");
        problems.add(path + where + ": unknown key" + hint);
        continue;
      }
      if (!reference.hasPathOrNull(path)) {
        continue; // inside an open section: checked by the settings class that reads it
      }
      ConfigValue expected = reference.getValue(path);
      if (expected.valueType() == ConfigValueType.OBJECT) {
        problems.add(
            path
                + where
                + ": expected a section { ... }, got "
                + ConfigOptions.render(entry.getValue()));
      }
    }
  }

  /** The nearest ancestor of path that the reference defines as a plain value, if any. */
  private String firstObjectLeafAbove(String path) {
    List<String> parts = ConfigUtil.splitPath(path);
    for (int i = 1; i < parts.size(); i++) {
      String prefix = ConfigUtil.joinPath(parts.subList(0, i));
      if (reference.hasPathOrNull(prefix)
          && reference.getValue(prefix).valueType() != ConfigValueType.OBJECT) {
        return prefix;
      }
    }
    return null;
  }

  private Set<String> knownCorePaths() {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : reference.getConfig(ROOT).entrySet()) {
      known.add(ROOT + "." + entry.getKey());
    }
    for (Family family : Family.values()) {
      known.add(ComponentSlots.pathOf(family) + "." + TYPE);
    }
    return known;
  }

  /**
   * Checks a component section and merges it over its factory's defaults; null after recording a
   * problem.
   */
  private Config mergeComponent(Family family, Config resolved, List<String> problems) {
    String section = ComponentSlots.pathOf(family);
    String known = String.join(", ", registry.factories(family).keySet());
    if (!resolved.hasPath(section)) {
      problems.add(
          section
              + ": missing; add "
              + section
              + " { type = ... } naming one of: "
              + (known.isEmpty() ? "(no " + family.key() + " plugins found)" : known));
      return null;
    }
    ConfigValue sectionValue = resolved.getValue(section);
    if (sectionValue.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          section
              + " ("
              + Origins.describe(sectionValue.origin())
              + "): expected a section { type = ..., ... }, got "
              + ConfigOptions.render(sectionValue));
      return null;
    }
    Config user = resolved.getConfig(section);
    if (!user.hasPath(TYPE)) {
      problems.add(
          section
              + "."
              + TYPE
              + ": missing; set it to one of: "
              + (known.isEmpty() ? "(no " + family.key() + " plugins found)" : known));
      return null;
    }
    ConfigValue typeValue = user.getValue(TYPE);
    String where = " (" + Origins.describe(typeValue.origin()) + ")";
    if (typeValue.valueType() != ConfigValueType.STRING) {
      problems.add(
          section
              + "."
              + TYPE
              + where
              + ": expected a name, got "
              + ConfigOptions.render(typeValue));
      return null;
    }
    String type = (String) typeValue.unwrapped();
    DiscoveredFactory factory = registry.find(family, type).orElse(null);
    if (factory == null) {
      String unavailable = registry.unavailableReason(family, type).orElse(null);
      if (unavailable != null) {
        // A plugin that failed to load provided it: that plugin's problem is the answer.
        problems.add(
            section
                + "."
                + TYPE
                + where
                + ": "
                + family.key()
                + " '"
                + type
                + "' is unavailable: "
                + unavailable);
        return null;
      }
      String hint =
          Suggestions.closest(type, registry.factories(family).keySet())
              .map(s -> "; did you mean '" + s + "'?")
              .orElse("");
      problems.add(
          section
              + "."
              + TYPE
              + where
              + ": unknown "
              + family.key()
              + " '"
              + type
              + "'; known: "
              + (known.isEmpty() ? "none (no " + family.key() + " plugins found)" : known)
              + hint
              + brokenPluginsHint());
      return null;
    }
    Config defaults =
        reference.hasPath(factory.defaultsPath())
            ? reference.getConfig(factory.defaultsPath())
            : ConfigFactory.empty();
    Set<String> declared = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : defaults.entrySet()) {
      declared.add(entry.getKey());
    }
    int before = problems.size();
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = entry.getKey();
      if (key.equals(TYPE)) {
        continue;
      }
      String keyWhere = " (" + Origins.describe(entry.getValue().origin()) + ")";
      if (!defaults.hasPathOrNull(key) && !inOpenSection(defaults, key)) {
        String hint =
            Suggestions.closest(key, declared).map(s -> "; did you mean " + s + "?").orElse("");
        problems.add(
            section
                + "."
                + key
                + keyWhere
                + ": "
                + family.key()
                + " '"
                + type
                + "' has no option '"
                + key
                + "'"
                + hint
                + (declared.isEmpty()
                    ? "; it takes no options"
                    : "; options: " + String.join(", ", declared)));
        continue;
      }
      if (!defaults.hasPathOrNull(key)) {
        continue; // inside an open section: any key, checked by the factory
      }
      String mismatch = typeMismatch(defaults.getValue(key), entry.getValue());
      if (mismatch != null) {
        problems.add(section + "." + key + keyWhere + ": " + mismatch);
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return user.withFallback(defaults);
  }

  /** Points at plugins that failed to load without saying what they provide: one may be it. */
  private String brokenPluginsHint() {
    List<org.mm1lab.core.plugin.PluginProblem> broken = registry.unattributedProblems();
    if (broken.isEmpty()) {
      return "";
    }
    return "; a plugin that failed to load may provide it: "
        + broken.get(0).message()
        + (broken.size() > 1 ? " (and " + (broken.size() - 1) + " more, shown as warnings)" : "");
  }

  /**
   * Whether a key lies inside a section whose default is an empty {@code {}}: by convention such a
   * section is a map whose keys the user chooses (a mixer's source weights, the run's data
   * sources), so any key is accepted there and whoever reads the section checks the names.
   */
  private static boolean inOpenSection(Config defaults, String key) {
    List<String> parts = ConfigUtil.splitPath(key);
    // The deepest ancestor the defaults define decides.
    for (int i = parts.size() - 1; i >= 1; i--) {
      String prefix = ConfigUtil.joinPath(parts.subList(0, i));
      if (defaults.hasPath(prefix)) {
        ConfigValue value = defaults.getValue(prefix);
        return value.valueType() == ConfigValueType.OBJECT
            && ((com.typesafe.config.ConfigObject) value).isEmpty();
      }
    }
    return false;
  }

  /**
   * Null when the user's value has the default's kind (number, boolean, string, list, section),
   * else the complaint. Strings that read as numbers or booleans pass, as HOCON allows.
   */
  private static String typeMismatch(ConfigValue expected, ConfigValue actual) {
    ConfigValueType want = expected.valueType();
    ConfigValueType got = actual.valueType();
    if (want == got || want == ConfigValueType.NULL || got == ConfigValueType.NULL) {
      return null;
    }
    if (got == ConfigValueType.STRING) {
      String text = ((String) actual.unwrapped()).trim();
      if (want == ConfigValueType.NUMBER && text.matches("-?[0-9.eE+-]+")) {
        return null;
      }
      if (want == ConfigValueType.BOOLEAN && text.matches("true|false|yes|no|on|off")) {
        return null;
      }
    }
    if (want == ConfigValueType.STRING
        && (got == ConfigValueType.NUMBER || got == ConfigValueType.BOOLEAN)) {
      return null;
    }
    return "expected "
        + kind(want)
        + " like the default "
        + ConfigOptions.render(expected)
        + ", got "
        + ConfigOptions.render(actual);
  }

  private static String kind(ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case LIST -> "a list";
      case OBJECT -> "a section";
      default -> "a string";
    };
  }
}
