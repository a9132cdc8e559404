package org.mm1lab.core.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.Family;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.core.UserException;
import org.mm1lab.core.plugin.PluginProblem.FactoryName;

/**
 * Every factory the host can use, by family and name, and the {@link PluginProblem problems} of the
 * plugins it could not use. Built once, then immutable: strictly by {@link #discover} and {@link
 * #of} (any problem is an error), or tolerantly by {@link PluginLoader}, which keeps going past a
 * broken plugin so that runs that do not use it still work.
 */
public final class PluginRegistry {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final Map<Family, Map<String, DiscoveredFactory>> byFamily;
  private final List<PluginProblem> problems;

  private PluginRegistry(
      Map<Family, Map<String, DiscoveredFactory>> byFamily, List<PluginProblem> problems) {
    this.byFamily = byFamily;
    this.problems = List.copyOf(problems);
  }

  /**
   * Finds every {@link Mm1Plugin} visible to the class loader and indexes its factories.
   *
   * @throws UserException naming the jar for a plugin that cannot be loaded, was built for an
   *     incompatible API version, has a badly formed name, or reuses a name another jar took
   */
  public static PluginRegistry discover(ClassLoader classLoader) {
    Builder builder = new Builder();
    builder.discover(
        ServiceLoader.load(Mm1Plugin.class, classLoader),
        PluginRegistry::sourceOf,
        "a plugin on the class path",
        Set.of());
    return builder.build().orThrow();
  }

  /** A registry of the given plugins, checked as {@link #discover} checks them. */
  public static PluginRegistry of(List<? extends Mm1Plugin> plugins) {
    Builder builder = new Builder();
    for (Mm1Plugin plugin : plugins) {
      builder.add(plugin, PluginRegistry::sourceOf, Set.of());
    }
    return builder.build().orThrow();
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

  /** The plugins (or factories) that could not be used, in the order they were found. */
  public List<PluginProblem> problems() {
    return problems;
  }

  /**
   * Why a factory that is not in the registry is missing, when a broken plugin is known to have
   * provided it: the problem's line.
   */
  public Optional<String> unavailableReason(Family family, String name) {
    return problems.stream()
        .filter(problem -> problem.affects(family, name))
        .map(PluginProblem::message)
        .findFirst();
  }

  /** Problems that may have hidden any factory: plugins whose factories are not known at all. */
  public List<PluginProblem> unattributedProblems() {
    return problems.stream().filter(problem -> problem.factories().isEmpty()).toList();
  }

  private PluginRegistry orThrow() {
    if (!problems.isEmpty()) {
      throw new UserException(problems.stream().map(PluginProblem::message).toList());
    }
    return this;
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
    Path path = locationOf(type);
    if (path == null) {
      CodeSource codeSource = type.getProtectionDomain().getCodeSource();
      return codeSource == null || codeSource.getLocation() == null
          ? "(unknown location)"
          : codeSource.getLocation().toString();
    }
    return path.toString().endsWith(".jar") ? path.getFileName().toString() : path.toString();
  }

  /** The jar or class folder a class was loaded from, or null when not a local file. */
  static Path locationOf(Class<?> type) {
    CodeSource codeSource = type.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(codeSource.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Collects factories and problems, plugin by plugin. A problem never stops the collection: the
   * strict entry points turn problems into an error afterwards, the tolerant loader keeps them.
   */
  static final class Builder {

    /** Consecutive loading failures after which a service iterator is taken to be stuck. */
    private static final int MAX_CONSECUTIVE_FAILURES = 100;

    private final Map<Family, Map<String, DiscoveredFactory>> byFamily =
        new EnumMap<>(Family.class);

    /** The first factory of each name that turned out to be ambiguous, for later duplicates. */
    private final Map<FactoryName, DiscoveredFactory> ambiguous = new HashMap<>();

    private final List<PluginProblem> problems = new ArrayList<>();

    Builder() {
      for (Family family : Family.values()) {
        byFamily.put(family, new TreeMap<>());
      }
    }

    /**
     * Loads and adds every plugin a service loader finds.
     *
     * @param where names the jar of a class, for messages and {@link DiscoveredFactory#source()}
     * @param what names the whole location in messages about a plugin that cannot even be loaded
     * @param declared the factories the location declares defaults for: what a plugin-level failure
     *     makes unavailable
     * @return the number of plugins added
     */
    int discover(
        ServiceLoader<Mm1Plugin> loader,
        Function<Class<?>, String> where,
        String what,
        Set<FactoryName> declared) {
      var iterator = loader.iterator();
      int added = 0;
      int failures = 0;
      while (failures < MAX_CONSECUTIVE_FAILURES) {
        Mm1Plugin plugin;
        try {
          if (!iterator.hasNext()) {
            break;
          }
          plugin = iterator.next();
        } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
          // ServiceLoader moves past the failing provider, so the rest still load.
          failures++;
          problem(what + " cannot be loaded: " + LoadFailures.describe(e), declared);
          continue;
        }
        failures = 0;
        add(plugin, where, declared);
        added++;
      }
      return added;
    }

    /** Adds one plugin's factories, or records why it cannot be used. */
    void add(Mm1Plugin plugin, Function<Class<?>, String> where, Set<FactoryName> declared) {
      String origin =
          "plugin " + plugin.getClass().getName() + " in " + where.apply(plugin.getClass());
      String version;
      try {
        version = plugin.apiVersion();
      } catch (RuntimeException | LinkageError e) {
        problem(
            origin
                + " declares no MM1 API version ("
                + LoadFailures.describe(e)
                + "); rebuild it against mm1-api "
                + Mm1Api.VERSION,
            declared);
        return;
      }
      String incompatible = incompatibility(version);
      if (incompatible != null) {
        problem(origin + " " + incompatible, declared);
        return;
      }
      for (Family family : Family.values()) {
        List<? extends ComponentFactory<?, ?>> factories;
        try {
          factories = factoriesOf(plugin, family);
        } catch (RuntimeException | LinkageError e) {
          problem(
              origin
                  + " failed to create its "
                  + family.key()
                  + " factories: "
                  + LoadFailures.describe(e),
              declared);
          continue;
        }
        if (factories != null) {
          register(family, factories, where, origin, declared);
        }
      }
    }

    /** Records a problem that makes the given factories unavailable. */
    void problem(String message, Set<FactoryName> factories) {
      problems.add(new PluginProblem(message, factories));
    }

    /** The number of problems recorded so far. */
    int problemCount() {
      return problems.size();
    }

    PluginRegistry build() {
      Map<Family, Map<String, DiscoveredFactory>> frozen = new EnumMap<>(Family.class);
      byFamily.forEach((family, map) -> frozen.put(family, Collections.unmodifiableMap(map)));
      return new PluginRegistry(frozen, problems);
    }

    private static List<? extends ComponentFactory<?, ?>> factoriesOf(
        Mm1Plugin plugin, Family family) {
      return switch (family) {
        case ENCODER -> plugin.imageEncoders();
        case CONNECTOR -> plugin.connectors();
        case DECODER -> plugin.decoders();
        case MIXER -> plugin.dataMixers();
        default -> throw new IllegalStateException("unhandled family " + family);
      };
    }

    private void register(
        Family family,
        List<? extends ComponentFactory<?, ?>> factories,
        Function<Class<?>, String> where,
        String origin,
        Set<FactoryName> declared) {
      for (ComponentFactory<?, ?> factory : factories) {
        if (factory == null) {
          problem(origin + " lists a null " + family.key() + " factory", declared);
          continue;
        }
        String source = where.apply(factory.getClass());
        String name;
        try {
          name = factory.name();
        } catch (RuntimeException | LinkageError e) {
          problem(
              family.displayName()
                  + " factory "
                  + factory.getClass().getName()
                  + " in "
                  + source
                  + " cannot tell its name: "
                  + LoadFailures.describe(e),
              declared);
          continue;
        }
        if (name == null || !NAME.matcher(name).matches()) {
          problem(
              family.displayName()
                  + " factory "
                  + factory.getClass().getName()
                  + " in "
                  + source
                  + " has name '"
                  + name
                  + "'; names are kebab-case: lower-case letters, digits and single dashes",
              name == null ? Set.of() : Set.of(new FactoryName(family, name)));
          continue;
        }
        FactoryName key = new FactoryName(family, name);
        DiscoveredFactory found = new DiscoveredFactory(family, factory, source);
        DiscoveredFactory previous = byFamily.get(family).remove(name);
        if (previous == null) {
          previous = ambiguous.get(key);
        }
        if (previous != null) {
          // Neither wins: which one a run would get must not depend on the order of jars.
          ambiguous.putIfAbsent(key, previous);
          problem(
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
                  + "; remove one of the jars",
              Set.of(key));
          continue;
        }
        byFamily.get(family).put(name, found);
      }
    }
  }
}
