package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.mm1lab.core.data.EvalItem;

/**
 * Writes text-only evaluation tasks as JSON Lines, one {@code {"id", "task", "prompt", "answer"}}
 * per line. Never overwrites a file.
 */
public final class TextTaskJsonlWriter implements AutoCloseable {

  private final JsonlWriter out;

  /** Creates the file; it must not exist. */
  public TextTaskJsonlWriter(Path file) {
    this.out = new JsonlWriter(file);
  }

  /** Appends one task. */
  public void write(EvalItem.TextTask item) {
    JsonObject line = new JsonObject();
    line.addProperty("id", item.id());
    line.addProperty("task", item.task());
    line.addProperty("prompt", item.prompt());
    line.addProperty("answer", item.answer());
    out.write(line);
  }

  /** Lines written. */
  public long records() {
    return out.lines();
  }

  @Override
  public void close() {
    out.close();
  }
}
