package org.mm1lab.core.pretrain;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code metrics.jsonl}: one JSON object per logged step, {@code {"step":N,"loss":x,
 * "lr":y,"grad-norm":z,"images-per-s":w,"elapsed-s":t}}, flushed at once so that the file can be
 * followed (and plotted) while the run goes on. A new log replaces an older file.
 */
public final class MetricsLog implements PretrainListener, AutoCloseable {

  private final Path file;
  private final BufferedWriter writer;

  /** Creates (or truncates) {@code file}. */
  public MetricsLog(Path file) {
    this.file = file;
    try {
      this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public void logged(PretrainProgress p) {
    String line =
        String.format(
            Locale.ROOT,
            "{\"step\":%d,\"loss\":%s,\"lr\":%s,\"grad-norm\":%s,\"images-per-s\":%s,"
                + "\"elapsed-s\":%s}",
            p.step(),
            number(p.loss()),
            number(p.learningRate()),
            number(p.gradientNorm()),
            number(p.imagesPerSecond()),
            number(p.elapsedSeconds()));
    try {
      writer.write(line);
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Six significant digits; JSON has no NaN, so a non-finite value is written as null. */
  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
