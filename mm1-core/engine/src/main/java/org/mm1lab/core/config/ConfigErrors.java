package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * Turns Typesafe Config's exceptions, and a factory's complaints about its options, into one line
 * with a short {@code file:line}.
 */
public final class ConfigErrors {

  private ConfigErrors() {}

  public static String describe(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    if (origin == null) {
      return message;
    }
    // Typesafe prefixes the origin's long description ("run.conf @ file:/a/run.conf: 3: ...").
    String prefix = origin.description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    return Origins.describe(origin) + ": " + message;
  }

  /**
   * Renders a complaint about one of {@code options} as one line: the full path, where the value
   * came from, and the message. (The options themselves know nothing of files and command lines;
   * where a value came from is the host's to say.)
   */
  public static String describe(ConfigOptions options, InvalidOptionException e) {
    String path = options.path();
    if (e.key() == null || e.key().isEmpty()) {
      return path + ": " + e.getMessage();
    }
    Config section = options.config();
    String fullPath = path + "." + e.key();
    String origin =
        section.hasPathOrNull(e.key())
            ? " (" + Origins.describe(section.getValue(e.key()).origin()) + ")"
            : "";
    if (!section.hasPath(e.key()) && e.getMessage().startsWith("is missing")) {
      return fullPath + ": " + e.getMessage();
    }
    return fullPath + origin + ": " + e.getMessage();
  }
}
