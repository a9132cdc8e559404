package org.mm1lab.core.data.formats;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One new JSON Lines file, written a line at a time. */
final class JsonlWriter implements AutoCloseable {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final Path file;
  private final Writer out;
  private long lines;

  JsonlWriter(Path file) {
    this.file = file;
    this.out = new OutputStreamWriter(Outputs.createNew(file), StandardCharsets.UTF_8);
  }

  void write(JsonObject line) {
    try {
      // Gson escapes line breaks inside strings, so one object is always one line.
      out.write(GSON.toJson(line));
      out.write('\n');
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  long lines() {
    return lines;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + file + ": " + e.getMessage(), e);
    }
  }
}
