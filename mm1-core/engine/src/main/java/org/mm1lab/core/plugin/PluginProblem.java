package org.mm1lab.core.plugin;

import java.util.Objects;
import java.util.Set;
import org.mm1lab.api.Family;

/**
 * A plugin, or one of its factories, that the host could not use: one line naming the jar. The host
 * goes on without it; a run that selects one of the {@link #factories() factories it would have
 * provided} fails with this line, any other run shows it as a warning.
 *
 * @param message what went wrong, where (the jar) and what to do, one line
 * @param factories the factories this problem makes unavailable, as far as known (from the plugin's
 *     {@code reference.conf} when its classes cannot tell); empty when unknown
 */
public record PluginProblem(String message, Set<FactoryName> factories) {

  public PluginProblem {
    Objects.requireNonNull(message, "message");
    // One line whatever the plugin's exception said.
    message = message.replaceAll("\\s*\\R\\s*", " ");
    factories = Set.copyOf(factories);
  }

  /** Whether this problem is why that factory is unavailable. */
  public boolean affects(Family family, String name) {
    return factories.contains(new FactoryName(family, name));
  }

  /**
   * A factory by family and name.
   *
   * @param family its family
   * @param name its configuration name
   */
  public record FactoryName(Family family, String name) {

    public FactoryName {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(name, "name");
    }
  }
}
