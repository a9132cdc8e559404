package org.mm1lab.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;
import org.mm1lab.api.ComponentFactory;
import org.mm1lab.api.Family;

/**
 * A factory's defaults as the host finds them: the section {@code
 * mm1-plugin-defaults.<family>.<name>} of the {@code reference.conf} that ships in the same jar (or
 * class folder) as the factory class. Reading that very file, not any {@code reference.conf} on the
 * test class path, catches defaults that were put in a test resource or in another module.
 */
public final class PluginDefaults {

  private PluginDefaults() {}

  /** The path of a factory's defaults section. */
  public static String path(Family family, String name) {
    return "mm1-plugin-defaults." + family.key() + ".\"" + name + "\"";
  }

  /**
   * The factory's defaults section.
   *
   * @throws AssertionError saying what to add, when the factory's jar has no reference.conf or the
   *     file lacks the section
   */
  public static Config of(Family family, ComponentFactory<?, ?> factory) {
    URL url = referenceConfOf(factory.getClass());
    String section = path(family, factory.name());
    if (url == null) {
      throw new AssertionError(
          "no reference.conf beside "
              + factory.getClass().getName()
              + "; add src/main/resources/reference.conf with "
              + section
              + " { ... } listing every option with its default");
    }
    Config reference;
    try {
      reference =
          ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false))
              .resolve();
    } catch (ConfigException e) {
      throw new AssertionError("the plugin's reference.conf is broken: " + e.getMessage(), e);
    }
    if (!reference.hasPath(section)) {
      throw new AssertionError(
          url
              + " has no "
              + section
              + " { ... }; every factory lists its options with their defaults there (an empty"
              + " section { } for a factory without options)");
    }
    return reference.getConfig(section);
  }

  /** The reference.conf in the jar or class folder a class was loaded from, or null. */
  static URL referenceConfOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isDirectory(location)) {
        Path file = location.resolve("reference.conf");
        return Files.isRegularFile(file) ? file.toUri().toURL() : null;
      }
      try (JarFile jar = new JarFile(location.toFile())) {
        return jar.getEntry("reference.conf") == null
            ? null
            : URI.create("jar:" + location.toUri() + "!/reference.conf").toURL();
      }
    } catch (URISyntaxException | IOException e) {
      return null;
    }
  }
}
