package org.mm1lab.core.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/** Turns Typesafe Config's exceptions into one line with a short {@code file:line}. */
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
}
