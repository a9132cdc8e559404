package org.mm1lab.core.ablate;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * The record of an ablation's expansion, {@code ablation.json}: what the comparison needs without
 * the grid file (which may have moved or changed) and what a person needs to reproduce a run.
 *
 * @param name the ablation's name
 * @param description the grid's description, or empty
 * @param gridFile the grid file as given
 * @param baseFile the base run file, absolute
 * @param axes the axes: label, key and level labels
 * @param seeds the seeds, empty for none
 * @param baseline the baseline's group name
 * @param runs every run, in the order they run
 * @param stages the encoder pretraining stages, in the order they run; empty for none
 */
public record AblationPlan(
    String name,
    String description,
    String gridFile,
    String baseFile,
    List<Axis> axes,
    List<Long> seeds,
    String baseline,
    List<Run> runs,
    List<Stage> stages) {

  /** Copies the lists. */
  public AblationPlan {
    axes = List.copyOf(axes);
    seeds = List.copyOf(seeds);
    runs = List.copyOf(runs);
    stages = List.copyOf(stages);
  }

  /** A plan without encoder pretraining stages. */
  public AblationPlan(
      String name,
      String description,
      String gridFile,
      String baseFile,
      List<Axis> axes,
      List<Long> seeds,
      String baseline,
      List<Run> runs) {
    this(name, description, gridFile, baseFile, axes, seeds, baseline, runs, List.of());
  }

  /**
   * An axis.
   *
   * @param label its short name
   * @param key its key in the grid file
   * @param levels its level labels in order
   */
  public record Axis(String label, String key, List<String> levels) {}

  /**
   * A run.
   *
   * @param name its name and folder under {@code variants/}
   * @param group its name without the seed
   * @param seed its seed, or null
   * @param levels axis label to level label
   * @param overrides {@code path=value} as applied to the base
   * @param stage the name of the encoder stage whose encoder it loads, or null
   */
  public record Run(
      String name,
      String group,
      Long seed,
      Map<String, String> levels,
      List<String> overrides,
      String stage) {

    /** A run that loads no stage's encoder. */
    public Run(
        String name, String group, Long seed, Map<String, String> levels, List<String> overrides) {
      this(name, group, seed, levels, overrides, null);
    }
  }

  /**
   * An encoder pretraining stage (see {@link EncoderStage}).
   *
   * @param name its name and folder under {@code stages/}
   * @param hash the SHA-256 of what determines its encoder
   * @param seed its {@code mm1.seed}
   * @param steps its pretraining steps
   * @param source the data source it pretrains on
   * @param overrides {@code path=value} as applied to the base for it
   * @param runs the runs that load its encoder
   */
  public record Stage(
      String name,
      String hash,
      long seed,
      int steps,
      String source,
      List<String> overrides,
      List<String> runs) {}

  /** The plan of a grid's runs, without stages. */
  public static AblationPlan of(AblationGrid grid, List<Variant> runs) {
    return of(grid, runs, new EncoderStages.Plan(List.of(), Map.of()));
  }

  /** The plan of a grid's runs and their encoder stages. */
  public static AblationPlan of(AblationGrid grid, List<Variant> runs, EncoderStages.Plan stages) {
    List<Axis> axes =
        grid.axes().stream().map(a -> new Axis(a.label(), a.key(), a.levelLabels())).toList();
    List<Run> plannedRuns = new ArrayList<>();
    for (Variant v : runs) {
      plannedRuns.add(
          new Run(
              v.name(),
              v.group(),
              v.seed(),
              v.levels(),
              v.overrides().stream().map(GridOverride::describe).toList(),
              stages.stageOf().get(v.name())));
    }
    List<Stage> plannedStages = new ArrayList<>();
    for (EncoderStage s : stages.stages()) {
      plannedStages.add(
          new Stage(s.name(), s.hash(), s.seed(), s.steps(), s.source(), s.overrides(), s.runs()));
    }
    String baseline = grid.baseline() != null ? grid.baseline() : runs.get(0).group();
    return new AblationPlan(
        grid.name(),
        grid.description(),
        grid.file().toAbsolutePath().normalize().toString(),
        grid.base().toString(),
        axes,
        grid.seeds(),
        baseline,
        plannedRuns,
        plannedStages);
  }

  /** The group names (rows of the comparison), in order. */
  public List<String> groups() {
    return runs.stream().map(Run::group).distinct().toList();
  }

  /** A stage by name. */
  public java.util.Optional<Stage> stage(String stageName) {
    return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
  }

  /** The runs of a group, one per seed. */
  public List<Run> runsOf(String group) {
    return runs.stream().filter(r -> r.group().equals(group)).toList();
  }

  /** The plan as JSON. */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("description", description);
    o.addProperty("grid", gridFile);
    o.addProperty("base", baseFile);
    JsonArray axesJson = new JsonArray();
    for (Axis a : axes) {
      JsonObject axis = new JsonObject();
      axis.addProperty("label", a.label());
      axis.addProperty("key", a.key());
      axis.add("levels", strings(a.levels()));
      axesJson.add(axis);
    }
    o.add("axes", axesJson);
    JsonArray seedsJson = new JsonArray();
    seeds.forEach(seedsJson::add);
    o.add("seeds", seedsJson);
    o.addProperty("baseline", baseline);
    JsonArray runsJson = new JsonArray();
    for (Run r : runs) {
      JsonObject run = new JsonObject();
      run.addProperty("name", r.name());
      run.addProperty("group", r.group());
      if (r.seed() != null) {
        run.addProperty("seed", r.seed());
      }
      JsonObject levels = new JsonObject();
      r.levels().forEach(levels::addProperty);
      run.add("levels", levels);
      run.addProperty("folder", Ablation.VARIANTS + "/" + r.name());
      run.add("overrides", strings(r.overrides()));
      if (r.stage() != null) {
        run.addProperty("stage", r.stage());
      }
      runsJson.add(run);
    }
    o.add("variants", runsJson);
    if (!stages.isEmpty()) {
      JsonArray stagesJson = new JsonArray();
      for (Stage s : stages) {
        JsonObject stage = new JsonObject();
        stage.addProperty("name", s.name());
        stage.addProperty("hash", s.hash());
        stage.addProperty("seed", s.seed());
        stage.addProperty("steps", s.steps());
        stage.addProperty("source", s.source());
        stage.addProperty("folder", Ablation.STAGES + "/" + s.name());
        stage.add("overrides", strings(s.overrides()));
        stage.add("runs", strings(s.runs()));
        stagesJson.add(stage);
      }
      o.add("stages", stagesJson);
    }
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
  }

  /**
   * Reads {@code ablation.json}.
   *
   * @throws UserException when it is missing or not a plan
   */
  public static AblationPlan read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserException(
          file.getParent() + " is not an ablation folder: it has no " + Ablation.PLAN, e);
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      List<Axis> axes = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("axes")) {
        JsonObject a = e.getAsJsonObject();
        axes.add(
            new Axis(
                a.get("label").getAsString(), a.get("key").getAsString(), strings(a, "levels")));
      }
      List<Long> seeds = new ArrayList<>();
      o.getAsJsonArray("seeds").forEach(s -> seeds.add(s.getAsLong()));
      List<Run> runs = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("variants")) {
        JsonObject r = e.getAsJsonObject();
        Map<String, String> levels = new LinkedHashMap<>();
        r.getAsJsonObject("levels")
            .entrySet()
            .forEach(l -> levels.put(l.getKey(), l.getValue().getAsString()));
        runs.add(
            new Run(
                r.get("name").getAsString(),
                r.get("group").getAsString(),
                r.has("seed") ? r.get("seed").getAsLong() : null,
                levels,
                strings(r, "overrides"),
                r.has("stage") ? r.get("stage").getAsString() : null));
      }
      List<Stage> stages = new ArrayList<>();
      if (o.has("stages")) {
        for (JsonElement e : o.getAsJsonArray("stages")) {
          JsonObject st = e.getAsJsonObject();
          stages.add(
              new Stage(
                  st.get("name").getAsString(),
                  st.get("hash").getAsString(),
                  st.get("seed").getAsLong(),
                  st.get("steps").getAsInt(),
                  st.get("source").getAsString(),
                  strings(st, "overrides"),
                  strings(st, "runs")));
        }
      }
      return new AblationPlan(
          o.get("name").getAsString(),
          o.has("description") ? o.get("description").getAsString() : "",
          o.get("grid").getAsString(),
          o.get("base").getAsString(),
          axes,
          seeds,
          o.get("baseline").getAsString(),
          runs,
          stages);
    } catch (JsonParseException
        | IllegalStateException
        | NullPointerException
        | ClassCastException e) {
      throw new UserException(file + " is not an ablation record (" + e.getMessage() + ")", e);
    }
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  private static List<String> strings(JsonObject o, String key) {
    List<String> values = new ArrayList<>();
    o.getAsJsonArray(key).forEach(v -> values.add(v.getAsString()));
    return values;
  }
}
