package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.mm1lab.core.data.Example;

/**
 * Writes text-only documents as the JSON Lines that {@link TextJsonlSource} reads: {@code {"id":
 * ..., "text": ...}} per line. Never overwrites: the file must not exist.
 */
public final class TextJsonlWriter implements AutoCloseable {

  private final JsonlWriter out;

  /**
   * @param file the new {@code .jsonl} file (its directory is created when missing)
   */
  public TextJsonlWriter(Path file) {
    this.out = new JsonlWriter(file);
  }

  /** Writes one document. */
  public void write(Example.Text example) {
    JsonObject line = new JsonObject();
    line.addProperty("id", example.id());
    line.addProperty("text", example.text());
    out.write(line);
  }

  /** Documents written so far. */
  public long records() {
    return out.lines();
  }

  @Override
  public void close() {
    out.close();
  }
}
