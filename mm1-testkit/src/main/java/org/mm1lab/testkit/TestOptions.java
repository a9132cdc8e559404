package org.mm1lab.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
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
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Options;

/**
 * {@link Options} over a Typesafe {@link Config} section, as the host gives a factory: values of
 * the wrong type are {@link InvalidOptionException}s naming the key, and every key read is recorded
 * so a test can check that the factory reads all the options it declares (the host rejects options
 * nobody reads).
 *
 * <p>The host's own implementation lives in mm1-core, which a plugin does not depend on; this one
 * follows the same rules for the getters a factory calls.
 */
public final class TestOptions implements Options {

  private final String path;
  private final Config section;
  private final Set<String> readKeys = ConcurrentHashMap.newKeySet();

  /**
   * @param path the section's path in a run file, for messages (for example {@code
   *     mm1.model.connector})
   * @param section the section's resolved content
   */
  public TestOptions(String path, Config section) {
    this.path = path;
    this.section = section;
  }

  /** Options from a HOCON string, for example {@code "tokens = 16, depth = 2"}. */
  public static TestOptions parse(String path, String hocon) {
    return new TestOptions(path, ConfigFactory.parseString(hocon).resolve());
  }

  /** Options from a map of keys (dotted paths allowed) to values. */
  public static TestOptions of(String path, Map<String, ?> values) {
    return new TestOptions(path, ConfigFactory.parseMap(values).resolve());
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
      if (!entry.getKey().equals("type")) {
        keys.add(entry.getKey());
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  /** The keys present but never read through a getter. */
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
    ConfigValue value = value(key);
    try {
      boolean result = section.getBoolean(key);
      readKeys.add(key);
      return result;
    } catch (ConfigException.WrongType e) {
      throw wrongType(key, "true or false", value);
    }
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
    ConfigValue value = value(key);
    try {
      List<String> result = section.getStringList(key);
      readKeys.add(key);
      return List.copyOf(result);
    } catch (ConfigException.WrongType e) {
      throw wrongType(key, "a list of strings", value);
    }
  }

  @Override
  public Map<String, Double> getNumberMap(String key) {
    ConfigValue value = value(key);
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw wrongType(key, "a section of name = number entries", value);
    }
    Map<String, Double> result = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
      String entryKey = key + "." + entry.getKey();
      if (!(entry.getValue().unwrapped() instanceof Number)) {
        throw wrongType(entryKey, "a number", entry.getValue());
      }
      readKeys.add(entryKey);
      result.put(entry.getKey(), ((Number) entry.getValue().unwrapped()).doubleValue());
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
    throw new InvalidOptionException(
        key, "'" + text + "' is not one of " + String.join(", ", allowed));
  }

  @Override
  public String toString() {
    return path + " " + section.root().render(com.typesafe.config.ConfigRenderOptions.concise());
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
    if (value.unwrapped() instanceof Number) {
      readKeys.add(key);
      return (Number) value.unwrapped();
    }
    try {
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

  private static InvalidOptionException wrongType(String key, String expected, ConfigValue value) {
    String shown =
        value.valueType() == ConfigValueType.OBJECT
            ? "a section { ... }"
            : value.render(com.typesafe.config.ConfigRenderOptions.concise());
    return new InvalidOptionException(key, "expected " + expected + ", got " + shown);
  }
}
