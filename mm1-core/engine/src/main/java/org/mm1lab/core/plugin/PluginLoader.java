package org.mm1lab.core.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import org.mm1lab.api.Family;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.plugin.PluginProblem.FactoryName;

/**
 * Loads the plugins of a run: those on the host's class path (the built-ins) and those in the
 * folders the user named, each folder plugin in a class loader of its own whose parent shares only
 * the API with the host (see {@link ApiOnlyClassLoader}). Plugins are loaded from nowhere else.
 *
 * <p>A plugin that cannot be used (a missing class, a factory that throws, a name another jar took,
 * an incompatible API version) does not stop the others: it becomes a {@link PluginProblem} of the
 * registry, which the run reports as an error only if it selects one of that plugin's factories.
 * Folders that do not exist or hold no jar are errors at once: the user named them.
 */
public final class PluginLoader {

  private static final String DEFAULTS = "mm1-plugin-defaults";

  private final ClassLoader host;

  /**
   * @param host the host's class loader: it holds the API, DJL, the core and the built-in plugins
   */
  public PluginLoader(ClassLoader host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /**
   * The class-path plugins plus those in the given folders, with the merged defaults of all.
   *
   * @throws UserException one line per named folder that does not exist or holds no plugin jar, or
   *     for a broken {@code reference.conf} on the class path
   */
  public LoadedPlugins load(List<PluginLocation> locations) {
    List<PluginBundle> bundles = PluginFolders.scan(locations);
    PluginRegistry.Builder builder = new PluginRegistry.Builder();
    builder.discover(
        ServiceLoader.load(Mm1Plugin.class, host),
        PluginRegistry::sourceOf,
        "a plugin on the class path",
        Set.of());
    Config reference = ConfigSources.referenceFor(host);
    if (bundles.isEmpty()) {
      return new LoadedPlugins(builder.build(), reference);
    }
    ApiOnlyClassLoader apiOnly = new ApiOnlyClassLoader(host);
    Config pluginDefaults = ConfigFactory.empty();
    for (PluginBundle bundle : bundles) {
      String what = bundle.describe();
      String unreadable = unreadableJar(bundle);
      if (unreadable != null) {
        builder.problem(what + (bundle.jars().size() == 1 ? " " : ": ") + unreadable, Set.of());
        continue;
      }
      ClassLoader loader = bundle.open(apiOnly);
      Config bundleReference;
      try {
        // Only the bundle's own files: the parent shows no reference.conf.
        bundleReference = ConfigFactory.parseResources(loader, "reference.conf");
      } catch (ConfigException e) {
        builder.problem(what + " has a broken reference.conf: " + e.getMessage(), Set.of());
        continue;
      }
      Set<FactoryName> declared = declaredFactories(bundleReference);
      int problemsBefore = builder.problemCount();
      int added =
          builder.discover(
              ServiceLoader.load(Mm1Plugin.class, loader),
              type -> whereIn(bundle, type),
              what,
              declared);
      if (added == 0 && builder.problemCount() == problemsBefore) {
        builder.problem(
            what
                + " holds no plugin (no META-INF/services/org.mm1lab.api.Mm1Plugin); a plugin's"
                + " dependency jars belong in a sub-folder together with the plugin jar",
            Set.of());
      }
      // A plugin contributes defaults for its factories and nothing else: it may not change the
      // core's settings.
      if (bundleReference.hasPath(DEFAULTS)) {
        pluginDefaults = pluginDefaults.withFallback(bundleReference.withOnlyPath(DEFAULTS));
      }
    }
    try {
      reference = reference.withFallback(pluginDefaults).resolve();
    } catch (ConfigException e) {
      throw new UserException("a plugin's reference.conf cannot be resolved: " + e.getMessage(), e);
    }
    return new LoadedPlugins(builder.build(), reference);
  }

  /** The factories a plugin's reference.conf declares defaults for: its names, known unloaded. */
  private static Set<FactoryName> declaredFactories(Config reference) {
    Set<FactoryName> names = new HashSet<>();
    for (Family family : Family.values()) {
      String path = DEFAULTS + "." + family.key();
      if (!reference.hasPath(path)) {
        continue;
      }
      ConfigValue value = reference.getValue(path);
      if (value instanceof ConfigObject configObject) {
        for (Map.Entry<String, ConfigValue> entry : configObject.entrySet()) {
          names.add(new FactoryName(family, entry.getKey()));
        }
      }
    }
    return names;
  }

  private static String whereIn(PluginBundle bundle, Class<?> type) {
    Path location = PluginRegistry.locationOf(type);
    return location == null ? bundle.label() : bundle.jarNamed(location);
  }

  /**
   * Why one of a bundle's jars cannot be read as a jar (a truncated copy, a file that only ends in
   * {@code .jar}), or null when all can: the class loader would see such a jar as empty, and the
   * plugin would seem to be missing rather than broken.
   */
  private static String unreadableJar(PluginBundle bundle) {
    for (java.nio.file.Path jar : bundle.jars()) {
      try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
        file.size();
      } catch (java.io.IOException | SecurityException e) {
        return (bundle.jars().size() == 1 ? "" : jar + " ")
            + "is not a readable jar ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + "); build or copy it again";
      }
    }
    return null;
  }
}
