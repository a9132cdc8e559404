package org.mm1lab.core.plugin;

import java.util.Objects;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.Family;

/**
 * A factory found on the plugin path, with where it came from.
 *
 * @param family the family it belongs to
 * @param factory the factory itself
 * @param source the jar or class folder that holds the factory class, for messages and {@code mm1
 *     plugins}
 */
public record DiscoveredFactory(Family family, ComponentFactory<?, ?> factory, String source) {

  public DiscoveredFactory {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(source, "source");
  }

  /** The factory's configuration name. */
  public String name() {
    return factory.name();
  }

  /** The path of its defaults section in the merged {@code reference.conf}. */
  public String defaultsPath() {
    return "mm1-plugin-defaults." + family.key() + ".\"" + name() + "\"";
  }
}
