package org.mm1lab.core.plugin;

import com.typesafe.config.Config;
import java.util.Objects;

/**
 * What a run's configuration is checked against: every usable factory, and the merged {@code
 * reference.conf} of the core and of every plugin (class path and folders).
 *
 * @param registry the factories, and the problems of plugins that could not be loaded
 * @param reference the merged, resolved defaults
 */
public record LoadedPlugins(PluginRegistry registry, Config reference) {

  public LoadedPlugins {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(reference, "reference");
  }
}
