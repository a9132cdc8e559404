package org.mm1lab.core.eval;

import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.Suggestions;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.ConfigErrors;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.formats.VqaWriter;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * The run's evaluation settings ({@code mm1.eval}), read and validated on construction: which tasks
 * at which shot counts, how many items, generation sizes, and where each task's items and
 * in-context examples come from. Defaults are in mm1-core's {@code reference.conf}.
 */
public final class EvalSettings {

  /** The tasks, in the order they run when all are chosen. */
  public static final List<String> TASKS = List.of("caption", "vqa", "text-core");

  /** The most prompts per batch, or new tokens per answer: anything above is a typo. */
  private static final int LIMIT = 1 << 16;

  /** The file formats of each task and the keys each takes: required, then optional. */
  private static final Map<String, List<SetFormat>> FORMATS =
      Map.of(
          "caption",
          List.of(
              new SetFormat(
                  "coco",
                  List.of("annotations", "images"),
                  List.of("shots-annotations", "shots-images")),
              // Karpathy's dataset_coco.json: the items and the shots are splits of one file.
              new SetFormat(
                  "karpathy", List.of("path", "images", "split"), List.of("shots-split"))),
          "vqa",
          List.of(
              new SetFormat(
                  "vqa",
                  List.of("questions", "annotations", "images"),
                  List.of("shots-questions", "shots-annotations", "shots-images"))),
          "text-core",
          List.of(new SetFormat("jsonl-text-tasks", List.of("path"), List.of("shots-path"))));

  /** The optional key of a vqa set besides the shots files. */
  private static final String IMAGE_PATTERN = "image-pattern";

  private final List<String> tasks;
  private final List<Integer> shots;
  private final int items;
  private final int batchSize;
  private final Map<String, Integer> maxNewTokens;
  private final int examples;
  private final long seed;
  private final Map<String, SetSpec> sets;
  private final PromptTemplates prompts;

  /**
   * Reads {@code mm1.eval}.
   *
   * @throws UserException naming the bad value's path and where it came from
   */
  public EvalSettings(RunConfig config) {
    ConfigOptions eval = new ConfigOptions("mm1.eval", config.config().getConfig("mm1.eval"));
    try {
      tasks = tasks(eval);
      shots = shots(eval);
      items = eval.getInt("items", 1, Integer.MAX_VALUE);
      batchSize = eval.getInt("batch-size", 1, LIMIT);
      Map<String, Integer> tokens = new LinkedHashMap<>();
      for (String task : TASKS) {
        tokens.put(task, eval.getInt("max-new-tokens." + task, 1, LIMIT));
      }
      maxNewTokens = Collections.unmodifiableMap(tokens);
      examples = eval.getInt("examples", 0, Integer.MAX_VALUE);
      seed = eval.getLong("seed");
      sets = sets(eval, tasks, shots.stream().anyMatch(s -> s > 0));
      prompts = prompts(eval);
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(eval, e), e);
    }
  }

  private static List<String> tasks(ConfigOptions eval) {
    List<String> tasks = eval.getStringList("tasks");
    if (tasks.isEmpty()) {
      throw eval.invalid("tasks", "needs at least one of " + String.join(", ", TASKS));
    }
    Set<String> seen = new HashSet<>();
    for (String task : tasks) {
      if (!TASKS.contains(task)) {
        String hint =
            Suggestions.closest(task, TASKS).map(s -> "; did you mean " + s + "?").orElse("");
        throw eval.invalid(
            "tasks", "unknown task '" + task + "'; known: " + String.join(", ", TASKS) + hint);
      }
      if (!seen.add(task)) {
        throw eval.invalid("tasks", "task " + task + " is listed twice");
      }
    }
    return tasks;
  }

  private static List<Integer> shots(ConfigOptions eval) {
    List<Integer> shots = eval.getIntList("shots");
    if (shots.isEmpty()) {
      throw eval.invalid("shots", "needs at least one count, for example [0]");
    }
    Set<Integer> seen = new HashSet<>();
    for (int count : shots) {
      if (count < 0) {
        throw eval.invalid("shots", "shot counts cannot be negative, got " + count);
      }
      if (count > 1024) {
        throw eval.invalid("shots", "at most 1024 in-context examples, got " + count);
      }
      if (!seen.add(count)) {
        throw eval.invalid("shots", "count " + count + " is listed twice");
      }
    }
    return shots;
  }

  private static Map<String, SetSpec> sets(
      ConfigOptions eval, List<String> tasks, boolean fewShot) {
    Map<String, SetSpec> specs = new LinkedHashMap<>();
    Map<String, ConfigValue> configured = new TreeMap<>(eval.config().getConfig("sets").root());
    if (configured.isEmpty()) {
      for (String task : tasks) {
        specs.put(task, new SetSpec(task, SetSpec.WORLD, Map.of()));
      }
      return Collections.unmodifiableMap(specs);
    }
    for (Map.Entry<String, ConfigValue> entry : configured.entrySet()) {
      String task = entry.getKey();
      String key = "sets." + quote(task);
      if (!TASKS.contains(task)) {
        String hint =
            Suggestions.closest(task, TASKS).map(s -> "; did you mean " + s + "?").orElse("");
        throw eval.invalid(
            key, "unknown task '" + task + "'; known: " + String.join(", ", TASKS) + hint);
      }
      if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
        throw eval.invalid(key, "expected a section { format = ..., ... }");
      }
      specs.put(task, set(eval, key, task, fewShot));
    }
    for (String task : tasks) {
      if (!specs.containsKey(task)) {
        SetFormat format = FORMATS.get(task).get(0);
        throw eval.invalid(
            "sets",
            "has no entry for task "
                + task
                + "; add "
                + task
                + " { format = world } or "
                + task
                + " { format = "
                + format.name()
                + ", "
                + String.join(" = ..., ", format.required())
                + " = ... }");
      }
    }
    Map<String, SetSpec> ordered = new LinkedHashMap<>();
    for (String task : tasks) {
      ordered.put(task, specs.get(task));
    }
    return Collections.unmodifiableMap(ordered);
  }

  private static SetSpec set(ConfigOptions eval, String key, String task, boolean fewShot) {
    ConfigOptions section = new ConfigOptions("mm1.eval." + key, eval.config().getConfig(key));
    List<SetFormat> formats = FORMATS.get(task);
    List<String> names = new ArrayList<>(List.of(SetSpec.WORLD));
    formats.forEach(f -> names.add(f.name()));
    String choices =
        String.join(", ", names.subList(0, names.size() - 1))
            + " or "
            + names.get(names.size() - 1);
    if (!section.has("format")) {
      throw eval.invalid(key, "needs format = one of " + choices);
    }
    String name = section.getString("format");
    SetFormat format = formats.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    if (!name.equals(SetSpec.WORLD) && format == null) {
      throw eval.invalid(
          key + ".format", "task " + task + " reads format " + choices + ", not '" + name + "'");
    }
    List<String> allowed = new ArrayList<>();
    if (format != null) {
      allowed.addAll(format.required());
      allowed.addAll(format.optional());
      if (task.equals("vqa")) {
        allowed.add(IMAGE_PATTERN);
      }
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String option : section.keys()) {
      if (option.equals("format")) {
        continue;
      }
      if (!allowed.contains(option)) {
        String hint =
            Suggestions.closest(option, allowed).map(s -> "; did you mean " + s + "?").orElse("");
        throw eval.invalid(
            key + "." + option,
            "format "
                + name
                + " takes no option '"
                + option
                + "'"
                + hint
                + (allowed.isEmpty() ? "" : "; it takes: " + String.join(", ", allowed)));
      }
      options.put(option, section.getString(option));
    }
    if (name.equals(SetSpec.WORLD)) {
      return new SetSpec(task, name, options);
    }
    for (String required : format.required()) {
      if (!options.containsKey(required)) {
        throw eval.invalid(key, "format " + name + " needs " + required + " = ...");
      }
    }
    long shotKeys = format.optional().stream().filter(options::containsKey).count();
    if (shotKeys != 0 && shotKeys != format.optional().size()) {
      throw eval.invalid(
          key, "give all of " + String.join(", ", format.optional()) + " or none of them");
    }
    if (fewShot && shotKeys == 0) {
      throw eval.invalid(
          key,
          "shots asks for in-context examples, so format "
              + name
              + " needs "
              + String.join(", ", format.optional())
              + " (a split apart from the evaluated items); or set shots = [0]");
    }
    if (task.equals("vqa")) {
      options.putIfAbsent(IMAGE_PATTERN, VqaWriter.DEFAULT_IMAGE_PATTERN);
    }
    return new SetSpec(task, name, options);
  }

  private static PromptTemplates prompts(ConfigOptions eval) {
    try {
      return new PromptTemplates(
          eval.getString("prompts.caption"),
          eval.getString("prompts.vqa"),
          eval.getString("prompts.text-core"));
    } catch (InvalidOptionException e) {
      if (e.key().startsWith("prompts.")) {
        throw e;
      }
      throw eval.invalid("prompts." + e.key(), e.getMessage());
    }
  }

  /** A map key as a path element, quoted only when it must be. */
  private static String quote(String key) {
    return ConfigUtil.joinPath(List.of(key));
  }

  /** The tasks to run, in the order given. */
  public List<String> tasks() {
    return tasks;
  }

  /** The in-context example counts, in the order given. */
  public List<Integer> shots() {
    return shots;
  }

  /** The largest shot count. */
  public int maxShots() {
    return shots.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Items per task. */
  public int items() {
    return items;
  }

  /** Prompts generated together. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The most tokens generated for a task's answers.
   *
   * @param task one of {@link #TASKS}
   */
  public int maxNewTokens(String task) {
    Integer tokens = maxNewTokens.get(task);
    if (tokens == null) {
      throw new IllegalArgumentException("unknown task " + task + "; known: " + TASKS);
    }
    return tokens;
  }

  /** Items per task and shot count saved with their images for the report. */
  public int examples() {
    return examples;
  }

  /** The seed of the in-context examples' choice. */
  public long seed() {
    return seed;
  }

  /** How each task's prompt reads. */
  public PromptTemplates prompts() {
    return prompts;
  }

  /** Where each task's items come from, for every task in {@link #tasks()}, in that order. */
  public Map<String, SetSpec> sets() {
    return sets;
  }

  /**
   * One task's evaluation set as configured.
   *
   * @param task the task
   * @param format {@code world}, or the task's file format ({@code coco}, {@code vqa}, {@code
   *     jsonl-text-tasks})
   * @param options the format's paths (and, for vqa, its {@code image-pattern}); relative paths are
   *     resolved against the working directory when the files are opened
   */
  public record SetSpec(String task, String format, Map<String, String> options) {

    /** The format of the synthetic world's held-out sets. */
    public static final String WORLD = "world";

    public SetSpec {
      options = Map.copyOf(options);
    }

    /** Whether the items come from the synthetic world. */
    public boolean isWorld() {
      return format.equals(WORLD);
    }

    /** Whether the set names files for in-context examples (always true for the world). */
    public boolean hasShots() {
      return isWorld() || options.keySet().stream().anyMatch(k -> k.startsWith("shots-"));
    }
  }

  /** A task's file format: its name and the keys it takes. */
  private record SetFormat(String name, List<String> required, List<String> optional) {}
}
