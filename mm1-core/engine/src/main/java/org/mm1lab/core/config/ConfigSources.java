package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import org.mm1lab.core.UserException;

/**
 * Where a run's configuration comes from besides the run file: the merged {@code reference.conf}
 * defaults on a class path, and {@code --set path=value} overrides from the command line.
 */
public final class ConfigSources {

  private ConfigSources() {}

  /** The merged {@code reference.conf} files visible to a class loader. */
  public static Config referenceFor(ClassLoader classLoader) {
    try {
      return ConfigFactory.defaultReference(classLoader);
    } catch (ConfigException e) {
      throw new UserException(
          "a plugin's reference.conf is broken: " + ConfigErrors.describe(e), e);
    }
  }

  /** Parses one {@code path=value} override, keeping "--set path=value" as its origin. */
  public static Config parseOverride(String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new UserException(
          "--set " + override + ": expected path=value, for example --set mm1.train.steps=100");
    }
    String path = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    String origin = Origins.COMMAND_LINE + " " + override;
    try {
      ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      throw new UserException(origin + ": '" + path + "' is not a valid config path");
    }
    try {
      Config parsed =
          ConfigFactory.parseString(
              path + " = " + value, ConfigParseOptions.defaults().setOriginDescription(origin));
      if (parsed.hasPathOrNull(path)) {
        return parsed;
      }
    } catch (ConfigException e) {
      // Not HOCON (for example a path with a colon): take the text as a plain string below.
    }
    return ConfigFactory.empty().withValue(path, ConfigValueFactory.fromAnyRef(value, origin));
  }
}
