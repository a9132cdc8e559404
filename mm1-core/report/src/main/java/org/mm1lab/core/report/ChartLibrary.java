package org.mm1lab.core.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The charting library the report's page inlines: uPlot's script and style sheet, read from its
 * WebJar on the class path (the version the build pins), so the page draws zoomable curves when
 * opened straight from disk, with no network and no file beside it.
 */
final class ChartLibrary {

  private static final String BASE = "/META-INF/resources/webjars/uplot/";

  private final String version;
  private final String script;
  private final String style;

  private ChartLibrary(String version, String script, String style) {
    this.version = version;
    this.script = script;
    this.style = style;
  }

  /** Loads the library from the class path. */
  static ChartLibrary load() {
    Properties properties = new Properties();
    try (InputStream in = ChartLibrary.class.getResourceAsStream("chart-library.properties")) {
      if (in == null) {
        throw new IllegalStateException("chart-library.properties is missing from the build");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("uplot.version");
    String dist = BASE + version + "/dist/";
    return new ChartLibrary(
        version, resource(dist + "uPlot.iife.min.js"), resource(dist + "uPlot.min.css"));
  }

  private static String resource(String path) {
    try (InputStream in = ChartLibrary.class.getResourceAsStream(path)) {
      if (in == null) {
        // A build without the WebJar is broken, not a user's mistake.
        throw new IllegalStateException(path + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The library's version, e.g. {@code 1.6.30}. */
  String version() {
    return version;
  }

  /**
   * The script, safe inside a {@code <script>} element: a {@code </} in it (which would end the
   * element) is written as {@code <\/}, the same string to JavaScript.
   */
  String script() {
    return script.replace("</", "<\\/");
  }

  /** The style sheet. */
  String style() {
    return style.replace("</", "<\\/");
  }
}
