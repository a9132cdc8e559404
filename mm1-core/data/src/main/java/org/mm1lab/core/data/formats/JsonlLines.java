package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The lines of a JSON Lines file, one JSON object at a time: blank lines are skipped, every line is
 * numbered ({@code line N}, counting blank ones, as an editor shows them), and a line that is not a
 * JSON object comes back with the reason instead of an object. What the object must hold is up to
 * the format reading it.
 */
final class JsonlLines implements Closeable {

  /**
   * One non-blank line.
   *
   * @param key {@code line N}, for messages
   * @param object the parsed object, or {@code null} when the line is not one
   * @param problem why the line is not a JSON object, or {@code null}
   */
  record Line(String key, JsonObject object, String problem) {}

  private final BufferedReader in;
  private long lineNumber;

  /**
   * Opens {@code file}, decompressing it when it is compressed ({@link Compression}); malformed
   * UTF-8 is replaced, not fatal: the JSON check judges the line.
   */
  JsonlLines(Path file) throws IOException {
    this.in =
        new BufferedReader(
            new InputStreamReader(Compression.open(file), StandardCharsets.UTF_8), 1 << 16);
  }

  /** The next non-blank line, or {@code null} at the end of the file. */
  Line next() throws IOException {
    String line;
    do {
      line = in.readLine();
      lineNumber++;
      if (line == null) {
        return null;
      }
    } while (line.isBlank());
    String key = "line " + lineNumber;
    try {
      return new Line(key, Jsons.parseObject(line), null);
    } catch (Jsons.BadJson e) {
      return new Line(key, null, e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
