package org.mm1lab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.core.run.EngineInfo;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code mm1 --version}: the release, the plugin API, the engine it was built with, and the engine
 * loaded here: its native library's flavour ({@code cpu}, or a CUDA build such as {@code cu128})
 * and the devices it sees. Loading the engine takes a second or two; when it cannot be loaded, the
 * reason is printed instead.
 */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    Properties properties = properties();
    List<String> lines = new ArrayList<>();
    lines.add("mm1 " + properties.getProperty("version", "unknown"));
    lines.add("plugin API " + Mm1Api.VERSION);
    lines.add(
        "DJL "
            + properties.getProperty("djl", "?")
            + " with PyTorch "
            + properties.getProperty("pytorch", "?"));
    lines.add("Java " + System.getProperty("java.version"));
    lines.addAll(engine());
    return lines.toArray(String[]::new);
  }

  /** mm1's release, as the build wrote it into version.properties; "unknown" without it. */
  static String release() {
    return properties().getProperty("version", "unknown");
  }

  private static Properties properties() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /** The engine loaded here, or why it could not be. */
  private static List<String> engine() {
    try {
      return EngineInfo.detect().lines();
    } catch (RuntimeException | LinkageError e) {
      // A wrong PYTORCH_LIBRARY_PATH or flavour: --version is where a user looks for it.
      return List.of("engine: not loaded: " + e.getMessage());
    }
  }
}
