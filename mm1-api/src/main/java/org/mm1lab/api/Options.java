package org.mm1lab.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A component's configuration section, as its factory sees it: the run file's section merged over
 * the factory's {@code reference.conf} defaults, read-only.
 *
 * <p>Keys are relative to the section ({@code tokens}, not {@code mm1.model.connector.tokens}) and
 * may be dotted to reach into nested sections. Every getter throws {@link InvalidOptionException}
 * (which the host reports with the value's file and line) when the key is missing or the value has
 * the wrong type. The host records which keys were read: keys that the factory never reads are
 * reported to the user as unused, so read every option you declare.
 *
 * @since 1.0
 */
public interface Options {

  /** The section's full path in the run configuration, for example {@code mm1.model.connector}. */
  String path();

  /** The keys present in this section (dotted paths of its leaves), {@code type} excluded. */
  Set<String> keys();

  /** Whether the key is present and not null. */
  boolean has(String key);

  /** An integer value. */
  int getInt(String key);

  /** A long integer value. */
  long getLong(String key);

  /** A floating-point value (integers are accepted). */
  double getDouble(String key);

  /**
   * A boolean value ({@code true}, {@code false}, {@code yes}, {@code no}, {@code on}, {@code
   * off}).
   */
  boolean getBoolean(String key);

  /** A string value. */
  String getString(String key);

  /** A list of integers. */
  List<Integer> getIntList(String key);

  /** A list of floating-point numbers. */
  List<Double> getDoubleList(String key);

  /** A list of strings. */
  List<String> getStringList(String key);

  /**
   * A section of numbers keyed by name, such as {@code sources { captioned = 45, text = 10 }}, in
   * the order the keys sort.
   */
  Map<String, Double> getNumberMap(String key);

  /**
   * An enum constant, written in configuration as its kebab-case name ({@code ROUND_ROBIN} is
   * {@code round-robin}). The error for an unknown value lists the allowed ones.
   */
  <E extends Enum<E>> E getEnum(Class<E> type, String key);

  /**
   * An integer that must lie in {@code [min, max]}; anything else is an {@link
   * InvalidOptionException} naming the range.
   */
  default int getInt(String key, int min, int max) {
    int value = getInt(key);
    if (value < min || value > max) {
      throw invalid(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /**
   * A problem with one option, to throw from a factory: the host adds the full path and the value's
   * origin.
   *
   * @param key the option, relative to this section
   * @param message what is wrong and what to change
   */
  default InvalidOptionException invalid(String key, String message) {
    return new InvalidOptionException(key, message);
  }
}
