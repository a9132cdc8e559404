package org.mm1lab.core.assembly;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunConfigLoader;
import org.mm1lab.core.plugin.PluginRegistry;

/**
 * The front door from a run file to assembled components: discovers plugins, loads and checks the
 * configuration, and builds the Guice injector for the run.
 */
public final class Assembly {

  private final PluginRegistry registry;
  private final RunConfigLoader loader;

  /** Uses the plugins and {@code reference.conf} files visible to the class loader. */
  public Assembly(ClassLoader classLoader) {
    this(PluginRegistry.discover(classLoader), RunConfigLoader.referenceFor(classLoader));
  }

  /** Uses the given plugins and merged reference configuration. */
  public Assembly(PluginRegistry registry, com.typesafe.config.Config reference) {
    this.registry = registry;
    this.loader = new RunConfigLoader(registry, reference);
  }

  /** The discovered plugins. */
  public PluginRegistry registry() {
    return registry;
  }

  /** The loader, for callers that want the configuration without assembling. */
  public RunConfigLoader loader() {
    return loader;
  }

  /** Loads and checks a run file. */
  public RunConfig load(Path runFile, List<String> overrides) {
    return loader.load(runFile, overrides);
  }

  /** An injector for one run: its config, settings, tokenizer and every factory. */
  public Injector injector(RunConfig config) {
    try {
      return Guice.createInjector(Stage.PRODUCTION, new PluginModule(registry), new RunModule(config));
    } catch (CreationException | ProvisionException e) {
      throw unwrap(e);
    }
  }

  /** Builds the run's components, checking that they fit together. */
  public Components assemble(RunConfig config) {
    try {
      return injector(config).getInstance(ComponentAssembler.class).assemble();
    } catch (ProvisionException e) {
      throw unwrap(e);
    }
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
