package org.mm1lab.core.io;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mm1lab.core.layout.RunLayout.Metric;

/**
 * Appends one JSON object per line to a run's {@code metrics.jsonl}, flushed line by line so that a
 * killed run keeps everything it logged. On resume, lines for steps after the checkpoint are
 * dropped first (they will be logged again), so the log always describes one consistent run.
 *
 * <p>Optionally every record also goes, as it is written, to a {@link TensorBoardWriter} in the
 * {@value TensorBoardWriter#FOLDER} folder beside the log, resumed the same way.
 */
public final class MetricsWriter implements AutoCloseable {

  private final BufferedWriter out;
  private final TensorBoardWriter tensorBoard;

  /**
   * Opens the log for appending after step {@code resumedStep}: lines of later steps, and a torn
   * last line, are removed.
   *
   * @param file the log
   * @param resumedStep the step the run continues after (0 for a new run: the log starts empty)
   */
  public MetricsWriter(Path file, int resumedStep) {
    this(file, resumedStep, false);
  }

  /**
   * Opens the log as {@link #MetricsWriter(Path, int)} does and, when {@code tensorBoard} is set, a
   * TensorBoard event file in the {@value TensorBoardWriter#FOLDER} folder beside it that receives
   * every record too.
   *
   * @param file the log
   * @param resumedStep the step the run continues after (0 for a new run)
   * @param tensorBoard whether to write TensorBoard events as well
   */
  public MetricsWriter(Path file, int resumedStep, boolean tensorBoard) {
    try {
      keepUpTo(file, resumedStep);
      out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
    Path folder = file.toAbsolutePath().resolveSibling(TensorBoardWriter.FOLDER);
    try {
      this.tensorBoard = tensorBoard ? TensorBoardWriter.continuing(folder, resumedStep) : null;
    } catch (RuntimeException e) {
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The TensorBoard event file written beside the log, if one is. */
  public Optional<Path> tensorBoardFile() {
    return Optional.ofNullable(tensorBoard).map(TensorBoardWriter::file);
  }

  /** Appends one record and flushes it. */
  public void write(JsonObject record) {
    try {
      out.write(record.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the metrics log: " + e.getMessage(), e);
    }
    if (tensorBoard != null) {
      tensorBoard.write(record);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tensorBoard != null) {
        tensorBoard.close();
      }
    }
  }

  private static void keepUpTo(Path file, int step) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    if (step > 0) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          JsonObject record = JsonParser.parseString(line).getAsJsonObject();
          if (record.has(Metric.STEP) && record.get(Metric.STEP).getAsInt() <= step) {
            kept.add(line);
          }
        } catch (RuntimeException torn) {
          // a line cut short by a kill: it is logged again after the resume
        }
      }
    }
    AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
  }
}
