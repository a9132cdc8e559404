package org.mm1lab.core.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.Family;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.core.UserException;

/**
 * Every factory the host can use, by family and name. Built once by {@link #discover(ClassLoader)}
 * from the {@link Mm1Plugin}s that {@link ServiceLoader} finds, then immutable.
 */
public final class PluginRegistry {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final Map<Family, Map<String, DiscoveredFactory>> byFamily;

  private PluginRegistry(Map<Family, Map<String, DiscoveredFactory>> byFamily) {
    this.byFamily = byFamily;
  }

  /**
   * Finds every {@link Mm1Plugin} visible to the class loader and indexes its factories.
   *
   * @throws UserException naming the jar for a plugin that cannot be loaded, was built for an
   *     incompatible API version, has a badly formed name, or reuses a name another jar took
   */
  public static PluginRegistry discover(ClassLoader classLoader) {
    List<Mm1Plugin> plugins = new ArrayList<>();
    try {
      for (Mm1Plugin plugin : ServiceLoader.load(Mm1Plugin.class, classLoader)) {
        plugins.add(plugin);
      }
    } catch (ServiceConfigurationError e) {
      throw new UserException("cannot load a plugin: " + e.getMessage(), e);
    }
    return of(plugins);
  }

  /** A registry of the given plugins, checked as {@link #discover} checks them. */
  public static PluginRegistry of(List<? extends Mm1Plugin> plugins) {
    Map<Family, Map<String, DiscoveredFactory>> byFamily = new EnumMap<>(Family.class);
    for (Family family : Family.values()) {
      byFamily.put(family, new TreeMap<>());
    }
    List<String> problems = new ArrayList<>();
    for (Mm1Plugin plugin : plugins) {
      String source = sourceOf(plugin.getClass());
      String incompatible = incompatibility(plugin.apiVersion());
      if (incompatible != null) {
        problems.add(
            "plugin " + plugin.getClass().getName() + " in " + source + " " + incompatible);
        continue;
      }
      try {
        register(byFamily, Family.ENCODER, plugin.imageEncoders(), problems);
        register(byFamily, Family.CONNECTOR, plugin.connectors(), problems);
        register(byFamily, Family.DECODER, plugin.decoders(), problems);
        register(byFamily, Family.MIXER, plugin.dataMixers(), problems);
      } catch (RuntimeException | LinkageError e) {
        problems.add(
            "plugin "
                + plugin.getClass().getName()
                + " in "
                + source
                + " failed to list its factories: "
                + e);
      }
    }
    if (!problems.isEmpty()) {
      throw new UserException(problems);
    }
    Map<Family, Map<String, DiscoveredFactory>> frozen = new EnumMap<>(Family.class);
    byFamily.forEach((family, map) -> frozen.put(family, Collections.unmodifiableMap(map)));
    return new PluginRegistry(frozen);
  }

  /** The factory of that family and name, if any. */
  public Optional<DiscoveredFactory> find(Family family, String name) {
    return Optional.ofNullable(byFamily.get(family).get(name));
  }

  /** The factories of one family, sorted by name. */
  public Map<String, DiscoveredFactory> factories(Family family) {
    return byFamily.get(family);
  }

  /** Every factory, family by family, each sorted by name. */
  public List<DiscoveredFactory> all() {
    List<DiscoveredFactory> all = new ArrayList<>();
    for (Family family : Family.values()) {
      all.addAll(byFamily.get(family).values());
    }
    return all;
  }

  private static void register(
      Map<Family, Map<String, DiscoveredFactory>> byFamily,
      Family family,
      List<? extends ComponentFactory<?, ?>> factories,
      List<String> problems) {
    for (ComponentFactory<?, ?> factory : factories) {
      String source = sourceOf(factory.getClass());
      String name = factory.name();
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(
            family.displayName()
                + " factory "
                + factory.getClass().getName()
                + " in "
                + source
                + " has name '"
                + name
                + "'; names are kebab-case: lower-case letters, digits and single dashes");
        continue;
      }
      DiscoveredFactory previous = byFamily.get(family).get(name);
      if (previous != null) {
        problems.add(
            "two "
                + family.key()
                + " factories are named '"
                + name
                + "': "
                + previous.factory().getClass().getName()
                + " in "
                + previous.source()
                + " and "
                + factory.getClass().getName()
                + " in "
                + source
                + "; remove one of the jars");
        continue;
      }
      byFamily.get(family).put(name, new DiscoveredFactory(family, factory, source));
    }
  }

  /** Null when compatible, else the reason. Same major, and a minor no newer than the host's. */
  static String incompatibility(String required) {
    int[] host = parse(Mm1Api.VERSION);
    int[] wanted = required == null ? null : parse(required);
    if (wanted == null) {
      return "declares API version '" + required + "', which is not MAJOR.MINOR";
    }
    if (wanted[0] != host[0] || wanted[1] > host[1]) {
      return "needs MM1 API "
          + required
          + " but this host provides "
          + Mm1Api.VERSION
          + "; rebuild the plugin against mm1-api "
          + Mm1Api.VERSION
          + " or use a matching MM1 Lab";
    }
    return null;
  }

  private static int[] parse(String version) {
    String[] parts = version.split("\\.");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The file name of the jar, or the class folder, a class was loaded from. */
  static String sourceOf(Class<?> type) {
    CodeSource codeSource = type.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      return "(unknown location)";
    }
    try {
      Path path = Path.of(codeSource.getLocation().toURI());
      return path.toString().endsWith(".jar") ? path.getFileName().toString() : path.toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return codeSource.getLocation().toString();
    }
  }
}
