package org.mm1lab.core.plugin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A folder of plugins that the user named, with where they named it, for messages.
 *
 * @param path the folder (or a single plugin jar), already resolved against the folder it is
 *     relative to
 * @param origin how the user named it, for example {@code --plugins plugins} or {@code
 *     mm1.plugins.dirs (run.conf:3)}
 */
public record PluginLocation(Path path, String origin) {

  public PluginLocation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(origin, "origin");
  }

  /** A folder given on the command line with {@code --plugins DIR}. */
  public static PluginLocation commandLine(Path dir) {
    return new PluginLocation(dir, "--plugins " + dir);
  }
}
