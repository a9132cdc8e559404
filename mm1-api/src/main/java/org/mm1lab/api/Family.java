package org.mm1lab.api;

/**
 * The families of pluggable components. The {@link #key()} is the word used in configuration, in
 * {@code mm1 plugins}, and in the defaults namespace {@code mm1-plugin-defaults.<key>.<name>}.
 *
 * @since 1.0
 */
public enum Family {
  ENCODER("encoder", "image encoder"),
  CONNECTOR("connector", "vision-language connector"),
  DECODER("decoder", "decoder"),
  MIXER("mixer", "data mixer");

  private final String key;
  private final String displayName;

  Family(String key, String displayName) {
    this.key = key;
    this.displayName = displayName;
  }

  /** The configuration word for this family, for example {@code connector}. */
  public String key() {
    return key;
  }

  /** A human-readable name for messages, for example {@code vision-language connector}. */
  public String displayName() {
    return displayName;
  }
}
