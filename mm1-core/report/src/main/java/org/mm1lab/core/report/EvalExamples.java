package org.mm1lab.core.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mm1lab.core.UserException;

/** Reads {@code eval/examples.json}: model outputs the evaluator kept for people to look at. */
public final class EvalExamples {

  /**
   * One example.
   *
   * @param task the benchmark
   * @param shots the number of in-context examples in the prompt
   * @param image the image, relative to the {@code eval} folder; {@code null} for none
   * @param prompt the prompt as given to the model
   * @param output what the model generated
   * @param expected the reference answers
   * @param metric the metric the item was scored with; empty in files written before it was kept
   * @param score the item's own score, x100; NaN in files written before it was kept
   */
  public record Example(
      String task,
      int shots,
      String image,
      String prompt,
      String output,
      List<String> expected,
      String metric,
      double score) {
    /** Checks the fields. */
    public Example {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(metric, "metric");
      expected = List.copyOf(expected);
    }

    /** An example without a recorded score. */
    public Example(
        String task, int shots, String image, String prompt, String output, List<String> expected) {
      this(task, shots, image, prompt, output, expected, "", Double.NaN);
    }
  }

  private EvalExamples() {}

  /**
   * Reads the examples, in file order.
   *
   * @throws UserException when the file is missing or malformed; the message names the entry
   */
  public static List<Example> read(Path file) {
    JsonFields json = new JsonFields(file);
    JsonElement root = json.parseFile();
    if (!root.isJsonArray()) {
      throw json.problem("top level", "must be a JSON array of examples");
    }
    JsonArray array = root.getAsJsonArray();
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "[" + i + "]";
      JsonObject o = json.object(array.get(i), where);
      long shots = json.optionalCount(o, where, "shots", 0);
      examples.add(
          new Example(
              json.string(o, where, "task"),
              (int) Math.min(shots, Integer.MAX_VALUE),
              json.optionalString(o, where, "image"),
              json.string(o, where, "prompt"),
              json.string(o, where, "output"),
              expected(json, o, where),
              Objects.requireNonNullElse(json.optionalString(o, where, "metric"), ""),
              o.has("score") && !o.get("score").isJsonNull()
                  ? json.number(o, where, "score")
                  : Double.NaN));
    }
    return examples;
  }

  /** The reference answers: an array of strings, or one string. */
  private static List<String> expected(JsonFields json, JsonObject o, String where) {
    JsonElement e = o.get("expected");
    if (e == null || e.isJsonNull()) {
      return List.of();
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return List.of(e.getAsString());
    }
    if (!e.isJsonArray()) {
      throw json.problem(where, "\"expected\" must be an array of strings");
    }
    List<String> answers = new ArrayList<>();
    for (JsonElement answer : e.getAsJsonArray()) {
      if (!answer.isJsonPrimitive() || !answer.getAsJsonPrimitive().isString()) {
        throw json.problem(where, "\"expected\" must be an array of strings");
      }
      answers.add(answer.getAsString());
    }
    return answers;
  }
}
