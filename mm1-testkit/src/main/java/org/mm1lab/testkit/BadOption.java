package org.mm1lab.testkit;

import java.util.Objects;

/**
 * An option value a factory must refuse with {@link org.mm1lab.api.InvalidOptionException} (from
 * {@link org.mm1lab.api.Options#invalid}) naming that option.
 *
 * @param key the option, relative to the component's section
 * @param value the bad value, in HOCON ({@code 15}, {@code "abc"}, {@code [1, 2]})
 * @param messageContains a piece of text the message must contain (what to change, say), or empty
 *     for any message
 */
public record BadOption(String key, String value, String messageContains) {

  public BadOption {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(messageContains, "messageContains");
  }

  /** A bad value with any message. */
  public static BadOption of(String key, String value) {
    return new BadOption(key, value, "");
  }

  /** A bad value whose message must contain {@code messageContains}. */
  public static BadOption of(String key, String value, String messageContains) {
    return new BadOption(key, value, messageContains);
  }

  @Override
  public String toString() {
    return key + " = " + value;
  }
}
