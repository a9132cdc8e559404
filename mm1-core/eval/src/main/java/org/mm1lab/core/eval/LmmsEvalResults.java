package org.mm1lab.core.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An evaluation's scores in the shape of the results file lmms-eval (and lm-evaluation-harness)
 * writes, so that its readers and the people used to it find each number where they look for it.
 *
 * <pre>
 * results           {TASK: {"alias", "METRIC,none": score, "METRIC_stderr,none": se or "N/A"}}
 * group_subtasks    {TASK: [SUB-TASK, ...]}
 * configs           {TASK: {"task", "output_type", "num_fewshot", "metric_list", ...}}
 * versions          {TASK: version}
 * n-shot            {TASK: shots}
 * higher_is_better  {TASK: {METRIC: true}}
 * n-samples         {TASK: {"original", "effective"}}
 * config            {"model", "model_args", "batch_size", "limit", "random_seed", "fewshot_seed"}
 * git_hash, mm1_lab_version, date
 * </pre>
 *
 * <p>lmms-eval has one shot count per task, so each task and shot count is a task here, named
 * {@code caption_0shot}, {@code vqa_4shot}, {@code text-core/count_0shot}; text-core's sub-tasks
 * are listed under their task in {@code group_subtasks}. Metrics are {@code cider} (CIDEr-D),
 * {@code vqa_accuracy} and {@code exact_match}, with the filter {@code none}. Scores and standard
 * errors are on the metric's own scale, as lmms-eval reports them: CIDEr-D as pycocoevalcap gives
 * it (about 1 for a good captioner), accuracies as fractions; the rest of {@code results.json}
 * keeps the 0-100 scale. The standard error is the sample standard deviation of the per-item scores
 * over the square root of their number, the estimator lmms-eval uses for mean metrics; {@code
 * "N/A"}, as lmms-eval writes it, where it is unknown. The date is UTC, formatted as lmms-eval
 * formats it ({@code yyyyMMdd_HHmmss}).
 */
final class LmmsEvalResults {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private LmmsEvalResults() {}

  /** The lmms-eval-shaped document for {@code report}. */
  static JsonObject of(EvalReport report, EvalProvenance provenance) {
    EvalSettings settings = provenance.settings();
    JsonObject results = new JsonObject();
    JsonObject groups = new JsonObject();
    JsonObject configs = new JsonObject();
    JsonObject versions = new JsonObject();
    JsonObject nShot = new JsonObject();
    JsonObject higherIsBetter = new JsonObject();
    JsonObject nSamples = new JsonObject();
    Map<String, JsonArray> subtasks = new LinkedHashMap<>();
    for (EvalReport.Result r : report.results()) {
      String key = key(r.task(), r.shots());
      String metric = metricKey(r.metric());
      int slash = r.task().indexOf('/');
      String baseTask = slash < 0 ? r.task() : r.task().substring(0, slash);
      JsonObject scores = new JsonObject();
      // lm-evaluation-harness writes a sub-task's alias indented under its group.
      scores.addProperty("alias", slash < 0 ? key : " - " + r.task().substring(slash + 1));
      scores.addProperty(metric + ",none", fraction(r.score()));
      scores.add(
          metric + "_stderr,none",
          Double.isNaN(r.se()) ? new JsonPrimitive("N/A") : new JsonPrimitive(fraction(r.se())));
      results.add(key, scores);
      if (slash < 0) {
        subtasks.put(key, new JsonArray());
      } else {
        subtasks.computeIfAbsent(key(baseTask, r.shots()), k -> new JsonArray()).add(key);
      }
      configs.add(key, taskConfig(key, baseTask, r.shots(), metric, settings));
      versions.add(key, string(provenance.version()));
      nShot.addProperty(key, r.shots());
      JsonObject better = new JsonObject();
      better.addProperty(metric, true);
      higherIsBetter.add(key, better);
      JsonObject samples = new JsonObject();
      samples.addProperty("original", r.items());
      samples.addProperty("effective", r.items());
      nSamples.add(key, samples);
    }
    subtasks.forEach(groups::add);

    JsonObject root = new JsonObject();
    root.add("results", results);
    root.add("group_subtasks", groups);
    root.add("configs", configs);
    root.add("versions", versions);
    root.add("n-shot", nShot);
    root.add("higher_is_better", higherIsBetter);
    root.add("n-samples", nSamples);
    root.add("config", runConfig(report, settings));
    root.add("git_hash", string(provenance.gitHash()));
    root.add("mm1_lab_version", string(provenance.version()));
    root.addProperty("date", DATE.format(provenance.date()));
    return root;
  }

  /** The task's name in the document: {@code caption_0shot}. */
  static String key(String task, int shots) {
    return task + "_" + shots + "shot";
  }

  /** The metric's key in lmms-eval's style. */
  static String metricKey(String metric) {
    return switch (metric) {
      case "CIDEr-D" -> "cider";
      case "VQA accuracy" -> "vqa_accuracy";
      case "exact match" -> "exact_match";
      default -> metric.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    };
  }

  /** A 0-100 value on the metric's own scale, to 6 decimals. */
  static double fraction(double hundredths) {
    return Math.round(hundredths * 1e4) / 1e6;
  }

  private static JsonObject taskConfig(
      String key, String task, int shots, String metric, EvalSettings settings) {
    JsonObject config = new JsonObject();
    config.addProperty("task", key);
    config.addProperty("output_type", "generate_until");
    config.addProperty("num_fewshot", shots);
    JsonObject metricEntry = new JsonObject();
    metricEntry.addProperty("metric", metric);
    metricEntry.addProperty("aggregation", "mean");
    metricEntry.addProperty("higher_is_better", true);
    JsonArray metrics = new JsonArray();
    metrics.add(metricEntry);
    config.add("metric_list", metrics);
    if (settings != null) {
      EvalSettings.SetSpec set = settings.sets().get(task);
      if (set != null) {
        config.addProperty("dataset_path", set.format());
        JsonObject options = new JsonObject();
        set.options().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> options.addProperty(e.getKey(), e.getValue()));
        config.add("dataset_kwargs", options);
      }
      JsonObject generation = new JsonObject();
      generation.addProperty("max_new_tokens", settings.maxNewTokens(task));
      generation.addProperty("do_sample", false);
      config.add("generation_kwargs", generation);
      JsonObject fewshot = new JsonObject();
      // ShotSelector: a seeded shuffle of the shots split per query, the first k taken.
      fewshot.addProperty("sampler", "seeded shuffle per query");
      fewshot.addProperty("seed", settings.seed());
      config.add("fewshot_config", fewshot);
    }
    return config;
  }

  private static JsonObject runConfig(EvalReport report, EvalSettings settings) {
    JsonObject config = new JsonObject();
    config.addProperty("model", report.run());
    config.addProperty("model_args", "step=" + report.step());
    if (settings != null) {
      config.addProperty("batch_size", settings.batchSize());
      config.addProperty("limit", settings.items());
      config.addProperty("random_seed", settings.seed());
      config.addProperty("fewshot_seed", settings.seed());
    }
    return config;
  }

  private static JsonElement string(String value) {
    return value == null ? JsonNull.INSTANCE : new JsonPrimitive(value);
  }
}
