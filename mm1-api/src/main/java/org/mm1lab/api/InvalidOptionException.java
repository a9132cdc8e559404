package org.mm1lab.api;

/**
 * A component's option is missing, has the wrong type, is out of range, or does not fit the
 * neighbouring components. The host turns it into one line naming the full configuration path and
 * the file and line the value came from, so the message itself should only say what is wrong and
 * what to change, for example {@code "64 is not a square of an integer; use 49 or 81"}.
 *
 * @since 1.0
 */
public class InvalidOptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the option's key relative to the component's section, or {@code null} when the
   *     problem concerns the section as a whole
   * @param message what is wrong and what to change
   */
  public InvalidOptionException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The offending option's key relative to its section, or {@code null} for the whole section. */
  public String key() {
    return key;
  }
}
