package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The records of one JSON Lines file, one line at a time: blank lines are ignored, a line that is
 * not a JSON object is a bad record {@code line N: malformed JSON: ...}, the rest is up to the
 * format.
 */
final class JsonlRecords implements FileDataSource.RecordReader {

  /** Turns one parsed line into a record. */
  interface LineParser {
    FileDataSource.Record parse(JsonObject line, String key);
  }

  private final BufferedReader in;
  private final LineParser parser;
  private long lineNumber;

  JsonlRecords(Path file, LineParser parser) throws IOException {
    // Malformed UTF-8 is replaced, not fatal: the JSON check below judges the line.
    this.in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    this.parser = parser;
  }

  @Override
  public FileDataSource.Record next() throws IOException {
    String line;
    do {
      line = in.readLine();
      lineNumber++;
      if (line == null) {
        return null;
      }
    } while (line.isBlank());
    String key = "line " + lineNumber;
    JsonObject object;
    try {
      object = Jsons.parseObject(line);
    } catch (Jsons.BadJson e) {
      return FileDataSource.Record.bad(key, e.getMessage());
    }
    String id = Jsons.idOf(object, "id");
    return parser.parse(object, id == null ? key : key + " (id " + id + ")");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
