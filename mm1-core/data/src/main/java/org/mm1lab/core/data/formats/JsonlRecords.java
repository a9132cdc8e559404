package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The records of one JSON Lines file, one line at a time ({@link JsonlLines}): blank lines are
 * ignored, a line that is not a JSON object is a bad record {@code line N: malformed JSON: ...},
 * the rest is up to the format.
 */
final class JsonlRecords implements FileDataSource.RecordReader {

  /** Turns one parsed line into a record. */
  interface LineParser {
    FileDataSource.ReadRecord parse(JsonObject line, String key);
  }

  private final JsonlLines lines;
  private final LineParser parser;

  JsonlRecords(Path file, LineParser parser) throws IOException {
    this.lines = new JsonlLines(file);
    this.parser = parser;
  }

  @Override
  public FileDataSource.ReadRecord next() throws IOException {
    JsonlLines.Line line = lines.next();
    if (line == null) {
      return null;
    }
    if (line.object() == null) {
      return FileDataSource.ReadRecord.bad(line.key(), line.problem());
    }
    String id = Jsons.idOf(line.object(), "id");
    return parser.parse(line.object(), id == null ? line.key() : line.key() + " (id " + id + ")");
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
