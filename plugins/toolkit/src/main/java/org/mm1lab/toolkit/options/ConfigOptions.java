package org.mm1lab.toolkit.options;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Options;
import org.mm1lab.api.Suggestions;

/**
 * {@link Options} over a Typesafe {@link Config} section: the one implementation of the rules a
 * factory's options follow, used by the host for every component it builds and by the test kit for
 * the contract tests, so that a plugin is tested against exactly what it meets in a run.
 *
 * <p>Records which keys were read, so the host can reject options no one uses, and turns every
 * missing key and wrong type into an {@link InvalidOptionException} naming the key; the host adds
 * the full path and the value's file and line (the section's {@link ConfigValue#origin() origins}
 * are kept for that). Enum values are kebab-case, and an unknown one gets a "did you mean" hint.
 * Quoted numbers are accepted where a number is expected, as Typesafe Config accepts them.
 *
 * <p>Thread-safe for reading; the record of read keys is concurrent.
 *
 * <p>A plugin loaded from a folder gets the host's instance only as {@link Options}: its own copy
 * of this class, if it bundles the toolkit, is another class, so it must not cast.
 */
public final class ConfigOptions implements Options {

  private static final String TYPE_KEY = "type";

  private final String path;
  private final Config section;
  private final Set<String> readKeys = ConcurrentHashMap.newKeySet();

  /**
   * @param path the section's full path, for messages (for example {@code mm1.model.connector})
   * @param section the section's resolved content
   */
  public ConfigOptions(String path, Config section) {
    this.path = path;
    this.section = section;
  }

  /** Options from a HOCON string, for tests and tools. */
  public static ConfigOptions parse(String path, String hocon) {
    Config config =
        ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(path))
            .resolve();
    return new ConfigOptions(path, config);
  }

  @Override
  public String path() {
    return path;
  }

  /** The underlying section. */
  public Config config() {
    return section;
  }

  @Override
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : section.entrySet()) {
      if (!entry.getKey().equals(TYPE_KEY)) {
        keys.add(entry.getKey());
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  /** The leaf keys read so far through the getters. */
  public Set<String> readKeys() {
    return Collections.unmodifiableSet(readKeys);
  }

  /** The leaf keys present but never read, {@code type} excluded. */
  public Set<String> unreadKeys() {
    Set<String> unread = new TreeSet<>(keys());
    unread.removeAll(readKeys);
    return unread;
  }

  @Override
  public boolean has(String key) {
    return section.hasPath(key);
  }

  @Override
  public int getInt(String key) {
    long value = getLong(key);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new InvalidOptionException(key, "expected an integer in int range, got " + value);
    }
    return (int) value;
  }

  @Override
  public long getLong(String key) {
    Number number = number(key, "an integer");
    double asDouble = number.doubleValue();
    if (!(number instanceof Integer || number instanceof Long) && asDouble != Math.rint(asDouble)) {
      throw new InvalidOptionException(key, "expected an integer, got " + number);
    }
    return number.longValue();
  }

  @Override
  public double getDouble(String key) {
    return number(key, "a number").doubleValue();
  }

  @Override
  public boolean getBoolean(String key) {
    return read(key, "true or false", section::getBoolean);
  }

  @Override
  public String getString(String key) {
    ConfigValue value = value(key);
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      throw wrongType(key, "a string", value);
    }
    readKeys.add(key);
    return String.valueOf(value.unwrapped());
  }

  @Override
  public List<Integer> getIntList(String key) {
    List<Integer> result = new ArrayList<>();
    for (Number n : numberList(key, "a list of integers")) {
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new InvalidOptionException(key, "expected a list of integers, found " + n);
      }
      result.add(n.intValue());
    }
    return List.copyOf(result);
  }

  @Override
  public List<Double> getDoubleList(String key) {
    List<Double> result = new ArrayList<>();
    for (Number n : numberList(key, "a list of numbers")) {
      result.add(n.doubleValue());
    }
    return List.copyOf(result);
  }

  @Override
  public List<String> getStringList(String key) {
    return List.copyOf(read(key, "a list of strings", section::getStringList));
  }

  @Override
  public Map<String, Double> getNumberMap(String key) {
    ConfigValue value = value(key);
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw wrongType(key, "a section of name = number entries", value);
    }
    Map<String, Double> result = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
      Object unwrapped = entry.getValue().unwrapped();
      String entryKey = key + "." + entry.getKey();
      if (!(unwrapped instanceof Number number)) {
        throw wrongType(entryKey, "a number", entry.getValue());
      }
      readKeys.add(entryKey);
      result.put(entry.getKey(), number.doubleValue());
    }
    return Collections.unmodifiableMap(result);
  }

  @Override
  public <E extends Enum<E>> E getEnum(Class<E> type, String key) {
    String text = getString(key);
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      String name = constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
      if (name.equals(text)) {
        return constant;
      }
      allowed.add(name);
    }
    String hint =
        Suggestions.closest(text, allowed).map(s -> "; did you mean " + s + "?").orElse("");
    throw new InvalidOptionException(
        key, "'" + text + "' is not one of " + String.join(", ", allowed) + hint);
  }

  /** The path and the section's content, for assertion messages and debugging. */
  @Override
  public String toString() {
    return path + " " + section.root().render(ConfigRenderOptions.concise());
  }

  private ConfigValue value(String key) {
    if (!section.hasPath(key)) {
      throw new InvalidOptionException(
          key, "is missing; add it to the section or to the plugin's reference.conf defaults");
    }
    return section.getValue(key);
  }

  private Number number(String key, String expected) {
    ConfigValue value = value(key);
    Object unwrapped = value.unwrapped();
    if (unwrapped instanceof Number number) {
      readKeys.add(key);
      return number;
    }
    try {
      // Typesafe accepts quoted numbers; keep that, so --set k=\"8\" works too.
      Number parsed = section.getNumber(key);
      readKeys.add(key);
      return parsed;
    } catch (ConfigException.WrongType e) {
      throw wrongType(key, expected, value);
    }
  }

  private List<Number> numberList(String key, String expected) {
    ConfigValue value = value(key);
    if (!(value instanceof ConfigList configList)) {
      throw wrongType(key, expected, value);
    }
    List<Number> numbers = new ArrayList<>();
    for (ConfigValue element : configList) {
      if (!(element.unwrapped() instanceof Number)) {
        throw wrongType(key, expected, value);
      }
      numbers.add((Number) element.unwrapped());
    }
    readKeys.add(key);
    return numbers;
  }

  private <T> T read(String key, String expected, Function<String, T> getter) {
    ConfigValue value = value(key);
    try {
      T result = getter.apply(key);
      readKeys.add(key);
      return result;
    } catch (ConfigException.WrongType e) {
      throw wrongType(key, expected, value);
    }
  }

  private static InvalidOptionException wrongType(String key, String expected, ConfigValue value) {
    return new InvalidOptionException(key, "expected " + expected + ", got " + render(value));
  }

  /** A value as the user wrote it, short: {@code "abc"}, {@code 3.5}, {@code [1, 2]}, a section. */
  public static String render(ConfigValue value) {
    return switch (value.valueType()) {
      case OBJECT -> "a section { ... }";
      case STRING -> "\"" + value.unwrapped() + "\"";
      case NULL -> "null";
      default -> value.render(ConfigRenderOptions.concise());
    };
  }
}
