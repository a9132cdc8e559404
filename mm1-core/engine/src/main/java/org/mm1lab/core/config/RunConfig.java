package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mm1lab.api.Family;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * A run file, resolved and checked: the command-line overrides over the file over every jar's
 * {@code reference.conf}, with each component section merged over the defaults of the factory it
 * selects. Every value keeps its origin, so messages and {@code mm1 config show} can say where it
 * came from.
 */
public final class RunConfig {

  private final String source;
  private final Config effective;
  private final Map<Family, String> types;

  public RunConfig(String source, Config effective, Map<Family, String> types) {
    this.source = Objects.requireNonNull(source, "source");
    this.effective = Objects.requireNonNull(effective, "effective");
    this.types = Collections.unmodifiableMap(new EnumMap<>(types));
  }

  /** Where the run file came from (its path as given), for messages. */
  public String source() {
    return source;
  }

  /** The whole resolved configuration, component sections included. */
  public Config config() {
    return effective;
  }

  /** The factory name the run selects for a family. */
  public String type(Family family) {
    return types.get(family);
  }

  /**
   * A fresh view of a family's component section, {@code type} excluded from its {@link
   * ConfigOptions#keys()}, tracking which options the factory reads.
   */
  public ConfigOptions componentOptions(Family family) {
    String path = ComponentSlots.pathOf(family);
    return new ConfigOptions(path, effective.getConfig(path).withoutPath("type"));
  }

  /** Options over the core settings section {@code mm1}. */
  public ConfigOptions coreOptions() {
    return new ConfigOptions("mm1", effective.getConfig("mm1"));
  }

  /**
   * Every leaf under {@code mm1}, sorted by path, with the value as HOCON and where it came from.
   */
  public List<Setting> settings() {
    List<Setting> settings = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : effective.getConfig("mm1").entrySet()) {
      ConfigValue value = entry.getValue();
      settings.add(
          new Setting(
              "mm1." + entry.getKey(),
              value.render(com.typesafe.config.ConfigRenderOptions.concise()),
              Origins.describe(value.origin())));
    }
    settings.sort((a, b) -> a.path().compareTo(b.path()));
    return settings;
  }

  /**
   * One resolved value.
   *
   * @param path the full path
   * @param value the value rendered as HOCON
   * @param origin where it came from ({@code file:line}, a plugin's {@code reference.conf}, or
   *     {@code --set})
   */
  public record Setting(String path, String value, String origin) {}
}
