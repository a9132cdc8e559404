package org.mm1lab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.mm1lab.api.Mm1Api;
import picocli.CommandLine.IVersionProvider;

/** {@code mm1 --version}: the release, the plugin API, and the engine it was built with. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String[] {
      "mm1 " + properties.getProperty("version", "unknown"),
      "plugin API " + Mm1Api.VERSION,
      "DJL "
          + properties.getProperty("djl", "?")
          + " with PyTorch "
          + properties.getProperty("pytorch", "?"),
      "Java " + System.getProperty("java.version")
    };
  }
}
