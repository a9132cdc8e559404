package org.mm1lab.testkit;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.mm1lab.api.Options;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * {@link Options} for a test, from a HOCON string or a map, to hand a factory directly.
 *
 * <p>Only a shortcut: the options it returns are the plugin toolkit's {@link ConfigOptions}, the
 * implementation the host hands every factory, so a test meets the host's rules (types, missing
 * keys, enum names) and can ask {@link ConfigOptions#unreadKeys()} which options the factory never
 * read. Unlike a run, nothing here merges the factory's {@code reference.conf} defaults; a contract
 * test's {@code optionsWith} does.
 */
public final class TestOptions {

  private TestOptions() {}

  /**
   * Options from a HOCON string, for example {@code "tokens = 16, depth = 2"}.
   *
   * @param path the section's path in a run file, for messages (for example {@code
   *     mm1.model.connector})
   */
  public static ConfigOptions parse(String path, String hocon) {
    return ConfigOptions.parse(path, hocon);
  }

  /**
   * Options from a map of keys (dotted paths allowed) to values.
   *
   * @param path the section's path in a run file, for messages
   */
  public static ConfigOptions of(String path, Map<String, ?> values) {
    return new ConfigOptions(path, ConfigFactory.parseMap(values).resolve());
  }
}
