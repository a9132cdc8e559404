package org.mm1lab.core.pretrain;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import org.mm1lab.core.io.MetricsWriter;
import org.mm1lab.core.layout.RunLayout.Metric;

/**
 * Writes the pretraining's {@code metrics.jsonl} through the runs' {@link MetricsWriter}: one JSON
 * object per logged step, {@code {"step":N,"loss":x,"lr":y,"grad-norm":z,"images-per-s":w,
 * "elapsed-s":t}}, flushed at once so that the file can be followed (and plotted) while the run
 * goes on. A new log replaces an older file. A non-finite value is written as null (JSON has no
 * NaN).
 */
public final class MetricsLog implements PretrainListener, AutoCloseable {

  private final Path file;
  private final MetricsWriter writer;

  /** Creates (or truncates) {@code file}. */
  public MetricsLog(Path file) {
    this(file, false);
  }

  /**
   * Creates (or truncates) {@code file} and, when {@code tensorBoard} is set, a TensorBoard event
   * file with the same scalars in the {@code tensorboard/} folder beside it (older event files
   * there are removed, as the log is emptied).
   */
  public MetricsLog(Path file, boolean tensorBoard) {
    this.file = file;
    this.writer = new MetricsWriter(file, 0, tensorBoard);
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public void logged(PretrainProgress p) {
    JsonObject line = new JsonObject();
    line.addProperty(Metric.STEP, p.step());
    put(line, Metric.LOSS, p.loss());
    put(line, Metric.LR, p.learningRate());
    put(line, Metric.GRAD_NORM, p.gradientNorm());
    put(line, Metric.IMAGES_PER_S, p.imagesPerSecond());
    put(line, Metric.ELAPSED_S, p.elapsedSeconds());
    writer.write(line);
  }

  private static void put(JsonObject line, String key, double value) {
    if (Double.isFinite(value)) {
      line.addProperty(key, Double.parseDouble(String.format(Locale.ROOT, "%.6g", value)));
    } else {
      line.add(key, JsonNull.INSTANCE);
    }
  }

  @Override
  public void close() {
    writer.close();
  }
}
