package org.mm1lab.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * Turns Typesafe Config's exceptions, and a factory's complaints about its options, into one line
 * with a short {@code file:line}.
 */
public final class ConfigErrors {

  private ConfigErrors() {}

  public static String describe(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    if (origin == null) {
      return message;
    }
    // Typesafe prefixes the origin's long description ("run.conf @ file:/a/run.conf: 3: ...").
    String prefix = origin.description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    return Origins.describe(origin) + ": " + bracket(origin, message);
  }

  private static final String PARENTHESIS = "expecting a close parentheses ')' here";

  /**
   * Typesafe Config asks for a ')' where a section's '}' is missing (at the end of the file, or
   * where the next section opens); a ')' is meant only when the include the message points at lacks
   * one.
   */
  private static String bracket(ConfigOrigin origin, String message) {
    if (!message.startsWith(PARENTHESIS) || inInclude(origin)) {
      return message;
    }
    return "a section's closing '}' is missing (expected here"
        + message.substring(PARENTHESIS.length())
        + ")";
  }

  private static boolean inInclude(ConfigOrigin origin) {
    if (origin.filename() == null || origin.lineNumber() < 1) {
      return false;
    }
    try (java.util.stream.Stream<String> lines =
        java.nio.file.Files.lines(java.nio.file.Path.of(origin.filename()))) {
      return lines.skip(origin.lineNumber() - 1L).findFirst().orElse("").contains("include");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Renders a complaint about one of {@code options} as one line: the full path, where the value
   * came from, and the message. (The options themselves know nothing of files and command lines;
   * where a value came from is the host's to say.)
   */
  public static String describe(ConfigOptions options, InvalidOptionException e) {
    String path = options.path();
    if (e.key() == null || e.key().isEmpty()) {
      return path + ": " + e.getMessage();
    }
    Config section = options.config();
    String fullPath = path + "." + e.key();
    String origin =
        section.hasPathOrNull(e.key())
            ? " (" + Origins.describe(section.getValue(e.key()).origin()) + ")"
            : "";
    if (!section.hasPath(e.key()) && e.getMessage().startsWith("is missing")) {
      return fullPath + ": " + e.getMessage();
    }
    return fullPath + origin + ": " + e.getMessage();
  }
}
