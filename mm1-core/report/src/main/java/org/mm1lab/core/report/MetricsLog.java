package org.mm1lab.core.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.JsonMessages;
import org.mm1lab.core.layout.RunLayout.Metric;

/**
 * The training metrics of a run, read from {@code metrics.jsonl} (one JSON object per logged step)
 * into columns: step, loss, learning rate, gradient norm, tokens per second, elapsed seconds and
 * one column per auxiliary loss. A value a step did not log is NaN in its column.
 *
 * <p>Reading is forgiving where a real run leaves marks and strict elsewhere:
 *
 * <ul>
 *   <li>a last line that is not valid JSON is skipped: a process killed mid-write leaves one;
 *   <li>when a step is logged again after a resume from an earlier checkpoint, the later lines
 *       replace the rows from that step on, so the curve shows what the resumed run did;
 *   <li>unknown keys (including {@code expert-load}) are ignored;
 *   <li>a malformed line anywhere else fails with a {@link UserException} naming {@code file:line}.
 * </ul>
 */
public final class MetricsLog {

  private final double[] steps;
  private final double[] loss;
  private final double[] learningRate;
  private final double[] gradNorm;
  private final double[] tokensPerSecond;
  private final double[] elapsedSeconds;
  private final double[] lossScale;
  private final double[] skippedSteps;
  private final Map<String, double[]> aux;
  private final boolean skippedTornLine;

  /** One parsed line. */
  private record Row(
      long step,
      double loss,
      double lr,
      double gradNorm,
      double tokensPerSecond,
      double elapsed,
      double lossScale,
      double skippedSteps,
      Map<String, Double> aux) {}

  private MetricsLog(List<Row> rows, Set<String> auxNames, boolean skippedTornLine) {
    int n = rows.size();
    steps = new double[n];
    loss = new double[n];
    learningRate = new double[n];
    gradNorm = new double[n];
    tokensPerSecond = new double[n];
    elapsedSeconds = new double[n];
    lossScale = new double[n];
    skippedSteps = new double[n];
    aux = new LinkedHashMap<>();
    for (String name : auxNames) {
      double[] column = new double[n];
      Arrays.fill(column, Double.NaN);
      aux.put(name, column);
    }
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      steps[i] = r.step();
      loss[i] = r.loss();
      learningRate[i] = r.lr();
      gradNorm[i] = r.gradNorm();
      tokensPerSecond[i] = r.tokensPerSecond();
      elapsedSeconds[i] = r.elapsed();
      lossScale[i] = r.lossScale();
      skippedSteps[i] = r.skippedSteps();
      for (Map.Entry<String, Double> e : r.aux().entrySet()) {
        aux.get(e.getKey())[i] = e.getValue();
      }
    }
    // A name seen only in rows later replaced by a resume has no value left; drop it.
    aux.values().removeIf(column -> !anyFinite(column));
    this.skippedTornLine = skippedTornLine;
  }

  /**
   * Reads a metrics log.
   *
   * @throws UserException when the file is missing or unreadable, or a line other than the last is
   *     malformed (the message starts with {@code file:line:})
   */
  public static MetricsLog read(Path file) {
    List<Row> rows = new ArrayList<>();
    Set<String> auxNames = new LinkedHashSet<>();
    String pendingError = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (pendingError != null) {
          // The bad line was not the last one, so it is damage, not a torn write.
          throw new UserException(pendingError);
        }
        Row row;
        try {
          row = parse(line);
        } catch (BadLine e) {
          pendingError = file + ":" + number + ": " + e.getMessage() + "; fix or delete that line";
          continue;
        }
        // A resumed run logs again from its checkpoint's step: the newer lines win.
        while (!rows.isEmpty() && rows.get(rows.size() - 1).step() >= row.step()) {
          rows.remove(rows.size() - 1);
        }
        rows.add(row);
        auxNames.addAll(row.aux().keySet());
      }
    } catch (NoSuchFileException e) {
      throw new UserException(file + " does not exist; has the run been trained?", e);
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new MetricsLog(rows, auxNames, pendingError != null);
  }

  /** A line that is not a metrics record; the message says why. */
  private static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message);
    }
  }

  private static Row parse(String line) throws BadLine {
    JsonElement element;
    try {
      // Lenient on purpose: a diverged run may log NaN or Infinity, which strict JSON forbids.
      element = JsonParser.parseString(line);
    } catch (JsonParseException e) {
      throw new BadLine("malformed JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (!element.isJsonObject()) {
      throw new BadLine("not a JSON object");
    }
    JsonObject o = element.getAsJsonObject();
    double step = number(o, Metric.STEP);
    if (!Double.isFinite(step) || step != Math.rint(step)) {
      throw new BadLine("no whole-number \"" + Metric.STEP + "\"");
    }
    Map<String, Double> auxValues = new LinkedHashMap<>();
    JsonElement auxElement = o.get(Metric.AUX);
    if (auxElement != null && !auxElement.isJsonNull()) {
      if (!auxElement.isJsonObject()) {
        throw new BadLine("\"" + Metric.AUX + "\" is not an object");
      }
      JsonObject auxObject = auxElement.getAsJsonObject();
      for (String name : auxObject.keySet()) {
        auxValues.put(name, number(auxObject, name));
      }
    }
    return new Row(
        (long) step,
        number(o, Metric.LOSS),
        number(o, Metric.LR),
        number(o, Metric.GRAD_NORM),
        number(o, Metric.TOKENS_PER_S),
        number(o, Metric.ELAPSED_S),
        number(o, Metric.LOSS_SCALE),
        number(o, Metric.SKIPPED_STEPS),
        auxValues);
  }

  /** A numeric field; NaN when absent or null. */
  private static double number(JsonObject o, String key) throws BadLine {
    JsonElement value = o.get(key);
    if (value == null || value.isJsonNull()) {
      return Double.NaN;
    }
    if (value.isJsonPrimitive()) {
      JsonPrimitive p = value.getAsJsonPrimitive();
      if (p.isNumber()) {
        return p.getAsDouble();
      }
      if (p.isString()) {
        // Lenient parsing reads an unquoted NaN or Infinity as a string.
        try {
          return Double.parseDouble(p.getAsString());
        } catch (NumberFormatException e) {
          // Reported below.
        }
      }
    }
    throw new BadLine("\"" + key + "\" is not a number: " + value);
  }

  private static String firstLine(String message) {
    return JsonMessages.reason(message);
  }

  /** Whether {@code column} has at least one finite value (a metric worth plotting). */
  public static boolean anyFinite(double[] column) {
    for (double v : column) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
  }

  /** The number of logged steps. */
  public int size() {
    return steps.length;
  }

  /** The step of each row, increasing. */
  public double[] steps() {
    return steps.clone();
  }

  /** The training loss of each row. */
  public double[] loss() {
    return loss.clone();
  }

  /** The learning rate of each row ({@code lr}). */
  public double[] learningRate() {
    return learningRate.clone();
  }

  /** The global gradient norm of each row ({@code grad-norm}), before clipping. */
  public double[] gradNorm() {
    return gradNorm.clone();
  }

  /** The throughput of each row ({@code tokens-per-s}). */
  public double[] tokensPerSecond() {
    return tokensPerSecond.clone();
  }

  /** The wall-clock seconds since the start of training at each row ({@code elapsed-s}). */
  public double[] elapsedSeconds() {
    return elapsedSeconds.clone();
  }

  /**
   * The loss scale of each row ({@code loss-scale}), NaN where none was logged: all NaN unless the
   * run trained in mixed precision.
   */
  public double[] lossScale() {
    return lossScale.clone();
  }

  /**
   * The steps skipped for float16 overflow over the rows (their {@code skipped-steps}), or empty
   * when the log records none (a float32 run). The rows a resume replaced are not counted.
   */
  public OptionalLong skippedSteps() {
    if (!anyFinite(skippedSteps)) {
      return OptionalLong.empty();
    }
    long total = 0;
    for (double v : skippedSteps) {
      if (Double.isFinite(v)) {
        total += (long) v;
      }
    }
    return OptionalLong.of(total);
  }

  /** The names of the auxiliary losses, in the order they first appear. */
  public List<String> auxNames() {
    return List.copyOf(aux.keySet());
  }

  /**
   * The values of one auxiliary loss.
   *
   * @throws IllegalArgumentException when the log has no such auxiliary loss
   */
  public double[] aux(String name) {
    double[] column = aux.get(name);
    if (column == null) {
      throw new IllegalArgumentException("no auxiliary loss " + name + " in " + auxNames());
    }
    return column.clone();
  }

  /** Whether a torn last line (a write cut short by a kill) was skipped. */
  public boolean skippedTornLine() {
    return skippedTornLine;
  }

  /** The last logged step, if any step was logged. */
  public OptionalLong lastStep() {
    return steps.length == 0
        ? OptionalLong.empty()
        : OptionalLong.of((long) steps[steps.length - 1]);
  }

  /** The last finite loss, if any. */
  public OptionalDouble finalLoss() {
    for (int i = loss.length - 1; i >= 0; i--) {
      if (Double.isFinite(loss[i])) {
        return OptionalDouble.of(loss[i]);
      }
    }
    return OptionalDouble.empty();
  }
}
