package org.mm1lab.core.assembly;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigSources;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.plugin.LoadedPlugins;
import org.mm1lab.core.plugin.PluginLoader;
import org.mm1lab.core.plugin.PluginLocation;
import org.mm1lab.core.plugin.PluginProblem;
import org.mm1lab.core.plugin.PluginRegistry;
import org.mm1lab.core.plugin.RunFilePluginDirs;

/**
 * The front door from a run file to assembled components: discovers plugins, loads and checks the
 * configuration, reads its settings into a {@link RunPlan}, and builds the Guice injector for the
 * run.
 */
public final class Assembly {

  private final PluginRegistry registry;
  private final RunConfigLoader loader;
  private final Consumer<String> warnings;
  private boolean warned;

  /**
   * Uses the plugins and {@code reference.conf} files visible to the class loader, strictly: any
   * plugin that cannot be loaded is an error.
   */
  public Assembly(ClassLoader classLoader) {
    this(PluginRegistry.discover(classLoader), ConfigSources.referenceFor(classLoader));
  }

  /** Uses the given plugins and merged reference configuration. */
  public Assembly(PluginRegistry registry, com.typesafe.config.Config reference) {
    this(new LoadedPlugins(registry, reference), warning -> {});
  }

  /**
   * Uses loaded plugins, some of which may be broken.
   *
   * @param plugins the registry (with its problems) and the merged defaults
   * @param warnings receives, once, a line per broken plugin when a run file loads without needing
   *     any of them; a run that selects one fails with that plugin's problem instead
   */
  public Assembly(LoadedPlugins plugins, Consumer<String> warnings) {
    this.registry = plugins.registry();
    this.loader = new RunConfigLoader(plugins.registry(), plugins.reference());
    this.warnings = warnings;
  }

  /**
   * The assembly for a run: the plugins on the host's class path, in the folders given on the
   * command line, and in the folders the run file names in {@code mm1.plugins.dirs}. The run file
   * is only peeked at here for that setting; {@link #load} checks it strictly afterwards, against
   * every plugin.
   *
   * @param host the host's class loader
   * @param pluginDirs folders given with {@code --plugins}, relative to the working directory
   * @param runFile the run file, or null for commands that read none
   * @param overrides the run's {@code --set} overrides
   * @param warnings where lines about unused broken plugins go
   * @throws UserException when a named folder does not exist or holds no plugin jar
   */
  public static Assembly forRun(
      ClassLoader host,
      List<Path> pluginDirs,
      Path runFile,
      List<String> overrides,
      Consumer<String> warnings) {
    return new Assembly(loadPlugins(host, pluginDirs, runFile, overrides), warnings);
  }

  /** The plugins {@link #forRun} would use, for commands that list them. */
  public static LoadedPlugins loadPlugins(
      ClassLoader host, List<Path> pluginDirs, Path runFile, List<String> overrides) {
    List<PluginLocation> locations = new ArrayList<>();
    for (Path dir : pluginDirs) {
      locations.add(PluginLocation.commandLine(dir));
    }
    if (runFile != null) {
      locations.addAll(RunFilePluginDirs.read(runFile, overrides));
    }
    return new PluginLoader(host).load(locations);
  }

  /** The discovered plugins. */
  public PluginRegistry registry() {
    return registry;
  }

  /** The loader, for callers that want the configuration without assembling. */
  public RunConfigLoader loader() {
    return loader;
  }

  /**
   * Loads and checks a run file. The first time one loads, each broken plugin (which this run then
   * does not use) is reported as a warning.
   */
  public RunConfig load(Path runFile, List<String> overrides) {
    RunConfig config = loader.load(runFile, overrides);
    if (!warned) {
      warned = true;
      for (PluginProblem problem : registry.problems()) {
        warnings.accept(problem.message() + " (skipped; this run does not use it)");
      }
    }
    return config;
  }

  /** Loads and checks a run file, then reads its settings: the run every command works from. */
  public RunPlan plan(Path runFile, List<String> overrides) {
    return plan(load(runFile, overrides));
  }

  /**
   * Reads and checks a loaded run's settings; the only place they are read, so that a bad value is
   * reported once, in this order (the run's own, then training, then data), before anything is
   * built.
   *
   * @throws UserException naming the first bad value's path, file and line
   */
  public RunPlan plan(RunConfig config) {
    return new RunPlan(
        config, new RunSettings(config), new TrainSettings(config), new DataSettings(config));
  }

  /**
   * Loads and checks a run file and reads only its data settings, for the commands that take
   * nothing else from it ({@code mm1 data}): a run whose other settings are wrong still describes
   * its world.
   */
  public DataSettings dataSettings(Path runFile, List<String> overrides) {
    return new DataSettings(load(runFile, overrides));
  }

  /** An injector for one run: its config, settings, tokenizer and every factory. */
  public Injector injector(RunConfig config) {
    return injector(plan(config));
  }

  private Injector injector(RunPlan plan) {
    try {
      return Guice.createInjector(
          Stage.PRODUCTION, new PluginModule(registry), new RunModule(plan));
    } catch (CreationException | ProvisionException e) {
      throw unwrap(e);
    }
  }

  /** Builds the run's components, checking that they fit together. */
  public Components assemble(RunPlan plan) {
    try {
      return injector(plan).getInstance(ComponentAssembler.class).assemble();
    } catch (ProvisionException e) {
      throw unwrap(e);
    }
  }

  /** Reads a loaded run's settings and builds its components ({@link #plan}, then assemble). */
  public Components assemble(RunConfig config) {
    return assemble(plan(config));
  }

  /** Guice wraps exceptions thrown in providers; a user's problem must reach the user as is. */
  private static RuntimeException unwrap(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UserException) {
        return (UserException) t;
      }
    }
    return e;
  }
}
