package org.mm1lab.core.config;

import com.typesafe.config.ConfigOrigin;
import java.net.URL;

/** Renders where a configuration value came from as {@code file:line}, for messages. */
public final class Origins {

  /** The origin description of values given on the command line, before the {@code k=v}. */
  public static final String COMMAND_LINE = "--set";

  private Origins() {}

  /**
   * A short location: {@code run.conf:12} for a file, {@code reference.conf in
   * mm1-plugins-connectors-0.1.0.jar:4} for defaults, {@code --set a.b=1} for an override.
   */
  public static String describe(ConfigOrigin origin) {
    if (origin == null) {
      return "unknown origin";
    }
    String line = origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "";
    if (origin.resource() != null) {
      return origin.resource() + container(origin.url()) + line;
    }
    if (origin.filename() != null) {
      return origin.filename() + line;
    }
    String description = origin.description();
    if (description.startsWith(COMMAND_LINE)) {
      // Typesafe appends ": 1" (the line in the one-line string); the argument says enough.
      int colon = description.lastIndexOf(": ");
      return colon > 0 ? description.substring(0, colon) : description;
    }
    return description;
  }

  /** Whether the value came from a class-path resource, i.e. some jar's reference.conf. */
  public static boolean isDefault(ConfigOrigin origin) {
    return origin != null && origin.resource() != null;
  }

  /** " in NAME.jar" when the resource came from a jar, " in DIR" for a class-path folder. */
  private static String container(URL url) {
    if (url == null) {
      return "";
    }
    String text = url.toString();
    int bang = text.indexOf("!/");
    if (text.startsWith("jar:") && bang > 0) {
      String jar = text.substring(4, bang);
      return " in " + jar.substring(jar.lastIndexOf('/') + 1);
    }
    String path = url.getPath();
    int slash = path.lastIndexOf('/', path.lastIndexOf('/') - 1);
    return slash >= 0 ? " in " + path.substring(0, path.lastIndexOf('/')) : "";
  }
}
