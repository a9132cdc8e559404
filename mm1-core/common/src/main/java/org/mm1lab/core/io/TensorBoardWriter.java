package org.mm1lab.core.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.layout.RunLayout.Metric;

/**
 * Writes scalars as a TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>}) in a
 * run's {@code tensorboard/} folder, which {@code tensorboard --logdir} (and {@code wandb sync})
 * read: the file starts with the {@code brain.Event:2} version event, then each logged step is one
 * event holding a scalar per metric. Events are written through {@link TfRecords} and flushed one
 * by one, so a killed run keeps everything it logged.
 *
 * <p>A metrics record ({@link #write(JsonObject)}) becomes one event at its {@code step}: each
 * number is a scalar tagged by its key, each number inside an object a scalar tagged {@code
 * key/inner} (the {@code aux} losses, say); {@code null} (a non-finite value, which JSON cannot
 * hold) and other values are left out. Scalars are 32-bit floats, as TensorBoard stores them.
 */
public final class TensorBoardWriter implements AutoCloseable {

  /** The folder, inside a run folder, that holds the event files. */
  public static final String FOLDER = "tensorboard";

  /** The prefix of every event file's name, by which TensorBoard finds them. */
  public static final String FILE_PREFIX = "events.out.tfevents.";

  private final Path file;
  private final OutputStream out;

  private TensorBoardWriter(Path folder) throws IOException {
    Files.createDirectories(folder);
    long seconds = System.currentTimeMillis() / 1000;
    String name = FILE_PREFIX + seconds + "." + host();
    Path candidate = folder.resolve(name);
    // a resume within the same second on the same host: a later name, read after the first
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = folder.resolve(name + "." + n);
    }
    this.file = candidate;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
    append(TensorBoardEvents.fileVersion(now()));
  }

  /**
   * Opens a new event file in {@code folder} for a run that continues after step {@code
   * resumedStep}, as {@link MetricsWriter} does for its log: for a new run (0) the folder's older
   * event files are removed; otherwise their events of later steps (logged again after the resume),
   * and a torn last record, are dropped from them.
   *
   * @throws UncheckedIOException when the folder cannot be prepared or the file not created
   */
  public static TensorBoardWriter continuing(Path folder, int resumedStep) {
    try {
      for (Path old : eventFiles(folder)) {
        if (resumedStep == 0) {
          Files.delete(old);
        } else {
          keepUpTo(old, resumedStep);
        }
      }
      return new TensorBoardWriter(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TensorBoard events in " + folder, e);
    }
  }

  /**
   * Opens a new event file in {@code folder} beside those already there, which are left as they
   * are: for scalars added to a run afterwards, such as its evaluation's scores.
   *
   * @throws UncheckedIOException when the file cannot be created
   */
  public static TensorBoardWriter adding(Path folder) {
    try {
      return new TensorBoardWriter(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TensorBoard events in " + folder, e);
    }
  }

  /** The event file being written. */
  public Path file() {
    return file;
  }

  /** Writes a metrics record's numbers as one event at its {@code step} (see the class comment). */
  public void write(JsonObject record) {
    JsonElement step = record.get(Metric.STEP);
    if (step == null || !step.isJsonPrimitive() || !step.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException("a metrics record without a numeric step: " + record);
    }
    Map<String, Float> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : record.entrySet()) {
      if (!e.getKey().equals(Metric.STEP)) {
        collect(e.getKey(), e.getValue(), values);
      }
    }
    scalars(step.getAsLong(), values);
  }

  /** Writes one event at {@code step} with a scalar per entry of {@code values}, tag to value. */
  public void scalars(long step, Map<String, Float> values) {
    append(TensorBoardEvents.scalars(now(), step, values));
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  private static void collect(String tag, JsonElement value, Map<String, Float> values) {
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      values.put(tag, ((JsonPrimitive) value).getAsFloat());
    } else if (value.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
        collect(tag + "/" + e.getKey(), e.getValue(), values);
      }
    }
  }

  private void append(byte[] event) {
    try {
      TfRecords.write(out, event);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> eventFiles(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, FILE_PREFIX + "*")) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    return files;
  }

  private static void keepUpTo(Path file, int step) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<byte[]> kept = new ArrayList<>();
    for (byte[] event : TfRecords.readIntact(bytes)) {
      try {
        if (TensorBoardEvents.step(event) <= step) {
          kept.add(event);
        }
      } catch (IllegalArgumentException notAnEvent) {
        // not one of ours: a record that is no event is no scalar either
      }
    }
    byte[] framed = TfRecords.frame(kept);
    if (framed.length != bytes.length) {
      AtomicFiles.write(file, framed);
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** The host's name as TensorFlow puts it in event file names, with odd characters replaced. */
  private static String host() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = "localhost";
    }
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "localhost" : safe;
  }
}
