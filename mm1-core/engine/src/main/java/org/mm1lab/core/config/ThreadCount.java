package org.mm1lab.core.config;

import java.util.OptionalInt;

/**
 * The values a thread-count setting takes, whether it comes from {@code mm1.threads} or from the
 * environment: {@code auto}, or a whole number of at least 1.
 */
public final class ThreadCount {

  /** What a user is told a bad value should have been, after the value itself. */
  public static final String EXPECTED = "is not auto or a whole number of threads (at least 1)";

  private ThreadCount() {}

  /** Whether {@code value} is {@code auto} or a positive whole number. */
  public static boolean valid(String value) {
    try {
      parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads a setting.
   *
   * @param value {@code auto} or a whole number, surrounding blanks ignored
   * @return the number, or empty for {@code auto}
   * @throws IllegalArgumentException for anything else
   */
  public static OptionalInt parse(String value) {
    String text = value.strip();
    if (text.equals("auto")) {
      return OptionalInt.empty();
    }
    int threads;
    try {
      threads = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' " + EXPECTED, e);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("'" + value + "' " + EXPECTED);
    }
    return OptionalInt.of(threads);
  }
}
