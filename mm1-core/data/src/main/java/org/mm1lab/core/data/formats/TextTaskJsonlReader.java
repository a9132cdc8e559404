package org.mm1lab.core.data.formats;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;

/**
 * Text-only evaluation tasks from a JSON Lines file, as {@link TextTaskJsonlWriter} writes them,
 * read as {@link EvalItem.TextTask}.
 *
 * <p>Schema, one JSON object per line (blank lines ignored):
 *
 * <pre>{"id": "t-1", "task": "count", "prompt": "one, two, three,", "answer": "four"}</pre>
 *
 * {@code prompt} and {@code answer} are required non-empty strings; {@code id} (string or number)
 * defaults to {@code FILE:line N}, and {@code task} (the sub-task, for break-downs) to {@code
 * text}. A line that is not such an object is a bad item ({@code text-core.jsonl: line 3: reason}),
 * skipped and counted.
 */
public final class TextTaskJsonlReader {

  /** The sub-task of a line without {@code task}. */
  public static final String DEFAULT_TASK = "text";

  private final String name;
  private final Path file;
  private final double maxBadFraction;

  /**
   * @param name the eval set's name (for messages)
   * @param file the {@code .jsonl} file
   * @param maxBadFraction the largest tolerated share of bad items, in [0, 1]
   * @throws UserException when the file does not exist or the fraction is out of range
   */
  public TextTaskJsonlReader(String name, Path file, double maxBadFraction) {
    this.name = name;
    this.file = CocoCaptionSource.requireFile(name, file);
    if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
      throw new UserException(
          "data source '" + name + "': max-bad-fraction must be in [0, 1], got " + maxBadFraction);
    }
    this.maxBadFraction = maxBadFraction;
  }

  /** Opens one pass over the file. */
  public EvalStream<EvalItem.TextTask> open() {
    JsonlLines lines;
    try {
      lines = new JsonlLines(file);
    } catch (IOException e) {
      throw new UserException(
          "data source '" + name + "': cannot read " + file + ": " + e.getMessage(), e);
    }
    String fileName = file.getFileName().toString();
    return new BaseEvalStream<>(name, file.toString(), fileName, maxBadFraction) {
      private boolean closed;

      @Override
      Read<EvalItem.TextTask> read() throws IOException {
        if (closed) {
          return null;
        }
        JsonlLines.Line line = lines.next();
        if (line == null) {
          return null;
        }
        String key = line.key();
        JsonObject object = line.object();
        if (object == null) {
          return new Read<>(null, key, line.problem());
        }
        String prompt = Jsons.stringOf(object, "prompt");
        String answer = Jsons.stringOf(object, "answer");
        if (prompt == null || prompt.isBlank() || answer == null || answer.isBlank()) {
          return new Read<>(null, key, "needs non-empty string fields \"prompt\" and \"answer\"");
        }
        String id = Jsons.idOf(object, "id");
        String task = Jsons.stringOf(object, "task");
        return new Read<>(
            new EvalItem.TextTask(
                id != null ? id : fileName + ":" + key,
                task != null && !task.isBlank() ? task : DEFAULT_TASK,
                prompt.strip(),
                answer.strip()),
            key,
            null);
      }

      @Override
      void closeFiles() throws IOException {
        if (!closed) {
          closed = true;
          lines.close();
        }
      }
    };
  }

  /** The file read. */
  public Path file() {
    return file;
  }
}
