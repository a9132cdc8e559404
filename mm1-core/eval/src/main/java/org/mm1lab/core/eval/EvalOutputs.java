package org.mm1lab.core.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.io.Png;
import org.mm1lab.core.layout.RunLayout.Eval;

/**
 * Writes an evaluation's files (named in {@link Eval}) into its output folder, each atomically (a
 * reader never sees half a file; a new evaluation replaces the old files whole):
 *
 * <pre>
 * results.json       {"run", "step", "results": [{"task", "shots", "metric", "score", "se", "items",
 *                     "dropped-shots"}], "lmms-eval": {...}}
 *                    "se" is the score's standard error over the items, null for fewer than two;
 *                    "dropped-shots" counts the in-context examples left out over all items
 *                    because their prompts would not fit the sequence length;
 *                    "lmms-eval" holds the same scores in the shape lmms-eval writes its results
 *                    file (see LmmsEvalResults), under its own key because lmms-eval's "results"
 *                    is an object per task where this file has always had a list;
 *                    "skipped": [{"task", "shots", "items-short", "items", "typical-shots",
 *                    "seq-len"}] only when a shot count was left out because most of its prompts
 *                    could not hold that many in-context examples
 * examples.json      [{"task", "shots", "image", "prompt", "output", "expected": [...], "metric",
 *                     "score"}]: "score" is the item's own score, x100 as the task's
 * examples/*.png     the examples' images; "image" is the path relative to the folder, or null
 * history.jsonl      one line per evaluation written to the folder: {"run", "step", "results"},
 *                    appended, so the report can plot the scores over checkpoints
 * predictions.jsonl  one line per item and shot count: id, prompt, raw, output, expected, score
 * </pre>
 */
public final class EvalOutputs {

  /** The key of the lmms-eval-shaped copy of the scores in {@code results.json}. */
  public static final String LMMS_EVAL = "lmms-eval";

  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  private final Path dir;
  private final int imageSide;

  /**
   * @param dir the output folder; created when missing
   */
  public EvalOutputs(Path dir) {
    this(dir, 0);
  }

  /**
   * @param dir the output folder; created when missing
   * @param imageSide the side at which the model saw the images (a world image is drawn at it), or
   *     0 for each image's own size
   */
  public EvalOutputs(Path dir, int imageSide) {
    this.dir = dir;
    this.imageSide = imageSide;
  }

  /** The output folder. */
  public Path dir() {
    return dir;
  }

  /** Writes {@code results.json}, with nothing known of the settings or the code's version. */
  public void writeResults(EvalReport report) {
    writeResults(report, EvalProvenance.unknown());
  }

  /** Writes {@code results.json}, its lmms-eval section recording {@code provenance}. */
  public void writeResults(EvalReport report, EvalProvenance provenance) {
    JsonObject root = new JsonObject();
    root.addProperty("run", report.run());
    root.addProperty("step", report.step());
    JsonArray results = new JsonArray();
    for (EvalReport.Result r : report.results()) {
      JsonObject result = new JsonObject();
      result.addProperty(Eval.Result.TASK, r.task());
      result.addProperty(Eval.Result.SHOTS, r.shots());
      result.addProperty(Eval.Result.METRIC, r.metric());
      result.addProperty(Eval.Result.SCORE, round(r.score()));
      // JSON has no NaN; null says the standard error is unknown, as a reader takes a missing one.
      result.add(
          Eval.Result.SE,
          Double.isNaN(r.se()) ? JsonNull.INSTANCE : new JsonPrimitive(round(r.se())));
      result.addProperty(Eval.Result.ITEMS, r.items());
      result.addProperty(Eval.Result.DROPPED_SHOTS, r.droppedShots());
      results.add(result);
    }
    root.add("results", results);
    if (!report.skipped().isEmpty()) {
      // A reader comparing runs needs to know that a missing shot count was left out on purpose.
      JsonArray skipped = new JsonArray();
      for (EvalReport.Skipped k : report.skipped()) {
        JsonObject entry = new JsonObject();
        entry.addProperty("task", k.task());
        entry.addProperty("shots", k.shots());
        entry.addProperty("items-short", k.itemsShort());
        entry.addProperty("items", k.items());
        entry.addProperty("typical-shots", k.typical());
        entry.addProperty("seq-len", k.maxLength());
        skipped.add(entry);
      }
      root.add("skipped", skipped);
    }
    JsonObject history = new JsonObject();
    history.addProperty("run", report.run());
    history.addProperty("step", report.step());
    history.add("results", results.deepCopy());
    root.add(LMMS_EVAL, LmmsEvalResults.of(report, provenance));
    writeFile(
        dir.resolve(Eval.RESULTS), (PRETTY.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8));
    appendHistory(COMPACT.toJson(history));
  }

  /**
   * Appends one evaluation to {@code history.jsonl}, so the report can show the scores over
   * checkpoints; results.json keeps only the latest. A line cut short by a kill is skipped by the
   * reader, so an append (not a rewrite of the whole file) is safe here.
   */
  private void appendHistory(String line) {
    Path file = dir.resolve(Eval.HISTORY);
    try {
      Files.createDirectories(dir);
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the examples' images (each path once) and {@code examples.json}. */
  public void writeExamples(List<EvalExample> examples) {
    JsonArray array = new JsonArray();
    Set<String> written = new HashSet<>();
    for (EvalExample example : examples) {
      if (example.imagePath() != null && written.add(example.imagePath())) {
        writeFile(dir.resolve(example.imagePath()), png(example));
      }
      JsonObject entry = new JsonObject();
      entry.addProperty("task", example.task());
      entry.addProperty("shots", example.shots());
      entry.add("image", string(example.imagePath()));
      entry.addProperty("prompt", example.prompt());
      entry.addProperty("output", example.output());
      entry.add("expected", strings(example.expected()));
      entry.addProperty("metric", example.metric());
      entry.addProperty("score", round(example.score()));
      array.add(entry);
    }
    writeFile(
        dir.resolve(Eval.EXAMPLES), (PRETTY.toJson(array) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code predictions.jsonl}. */
  public void writePredictions(List<Prediction> predictions) {
    StringBuilder text = new StringBuilder();
    for (Prediction p : predictions) {
      JsonObject line = new JsonObject();
      line.addProperty("task", p.task());
      line.addProperty("shots", p.shots());
      line.addProperty("id", p.id());
      line.addProperty("prompt", p.prompt());
      line.addProperty("raw", p.raw());
      line.addProperty("output", p.output());
      line.add("expected", strings(p.expected()));
      line.addProperty("score", round(p.score()));
      line.addProperty("prompt-tokens", p.promptTokens());
      line.addProperty("dropped-shots", p.droppedShots());
      text.append(COMPACT.toJson(line)).append('\n');
    }
    writeFile(dir.resolve(Eval.PREDICTIONS), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void writeFile(Path target, byte[] content) {
    try {
      AtomicFiles.write(target, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Scores to 4 decimals: enough for any table, without float noise in the file. */
  static double round(double score) {
    return Math.round(score * 1e4) / 1e4;
  }

  private static JsonElement string(String value) {
    return value == null ? JsonNull.INSTANCE : new JsonPrimitive(value);
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  private byte[] png(EvalExample example) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Png.write(example.image().decode(imageSide), out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UserException(
          "cannot read the image of example " + example.imagePath() + ": " + e.getMessage(), e);
    }
  }
}
