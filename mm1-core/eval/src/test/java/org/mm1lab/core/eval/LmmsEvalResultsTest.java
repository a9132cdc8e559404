package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lmms-eval-shaped section of {@code results.json}. */
class LmmsEvalResultsTest {

  private static final EvalReport REPORT =
      new EvalReport(
          "quickstart",
          600,
          List.of(
              new EvalReport.Result("caption", 0, "CIDEr-D", 53.2, 1.8449, 100, 0),
              new EvalReport.Result("caption", 8, "CIDEr-D", 61.456, Double.NaN, 1, 12),
              new EvalReport.Result("text-core", 0, "exact match", 50, 28.8675, 4, 0),
              new EvalReport.Result("text-core/count", 0, "exact match", 100, 0, 2, 0),
              new EvalReport.Result("text-core/other", 0, "exact match", 0, 0, 2, 0)));

  private static final EvalProvenance PROVENANCE =
      new EvalProvenance(null, "abc1234", "0.1.0", Instant.parse("2026-12-03T15:04:05Z"));

  @Test
  void eachTaskAndShotCountHasItsMetricAndStandardErrorOnTheMetricsOwnScale() {
    JsonObject doc = LmmsEvalResults.of(REPORT, PROVENANCE);
    JsonObject results = doc.getAsJsonObject("results");
    assertEquals(
        List.of(
            "caption_0shot",
            "caption_8shot",
            "text-core_0shot",
            "text-core/count_0shot",
            "text-core/other_0shot"),
        List.copyOf(results.keySet()));
    JsonObject caption = results.getAsJsonObject("caption_0shot");
    assertEquals(Set.of("alias", "cider,none", "cider_stderr,none"), caption.keySet());
    assertEquals("caption_0shot", caption.get("alias").getAsString());
    // 53.2 on the 0-100 scale is a CIDEr-D of 0.532; its standard error 1.8449 is 0.018449.
    assertEquals(0.532, caption.get("cider,none").getAsDouble(), 1e-12);
    assertEquals(0.018449, caption.get("cider_stderr,none").getAsDouble(), 1e-12);
    // One item has no standard error: lmms-eval writes "N/A".
    assertEquals(
        "N/A", results.getAsJsonObject("caption_8shot").get("cider_stderr,none").getAsString());
    JsonObject count = results.getAsJsonObject("text-core/count_0shot");
    assertEquals(" - count", count.get("alias").getAsString());
    assertEquals(1.0, count.get("exact_match,none").getAsDouble(), 1e-12);
    assertEquals(
        0.288675,
        results.getAsJsonObject("text-core_0shot").get("exact_match_stderr,none").getAsDouble(),
        1e-12);
  }

  @Test
  void theTopLevelHasLmmsEvalsKeys() {
    JsonObject doc = LmmsEvalResults.of(REPORT, PROVENANCE);
    assertEquals(
        Set.of(
            "results",
            "group_subtasks",
            "configs",
            "versions",
            "n-shot",
            "higher_is_better",
            "n-samples",
            "config",
            "git_hash",
            "mm1_lab_version",
            "date"),
        doc.keySet());
    assertEquals(8, doc.getAsJsonObject("n-shot").get("caption_8shot").getAsInt());
    assertEquals(
        "[\"text-core/count_0shot\",\"text-core/other_0shot\"]",
        doc.getAsJsonObject("group_subtasks").get("text-core_0shot").toString());
    assertEquals("[]", doc.getAsJsonObject("group_subtasks").get("caption_0shot").toString());
    assertTrue(
        doc.getAsJsonObject("higher_is_better")
            .getAsJsonObject("caption_0shot")
            .get("cider")
            .getAsBoolean());
    assertEquals(
        100,
        doc.getAsJsonObject("n-samples")
            .getAsJsonObject("caption_0shot")
            .get("effective")
            .getAsInt());
    JsonObject config = doc.getAsJsonObject("configs").getAsJsonObject("caption_8shot");
    assertEquals(8, config.get("num_fewshot").getAsInt());
    assertEquals("generate_until", config.get("output_type").getAsString());
    assertEquals("quickstart", doc.getAsJsonObject("config").get("model").getAsString());
    assertEquals("step=600", doc.getAsJsonObject("config").get("model_args").getAsString());
    assertEquals("abc1234", doc.get("git_hash").getAsString());
    assertEquals("0.1.0", doc.getAsJsonObject("versions").get("caption_0shot").getAsString());
    // lmms-eval's date format, here in UTC.
    assertEquals("20261203_150405", doc.get("date").getAsString());
  }

  @Test
  void provenanceNowIsTakenAtTheStartWithTheCheckoutsCommitWhenThereIsOne() {
    Instant before = Instant.now();
    EvalProvenance now = EvalProvenance.now(null);
    assertTrue(!now.date().isBefore(before) && !now.date().isAfter(Instant.now()), "the time");
    // Built in a git checkout the hash is one line ("abc1234" or a tag with a suffix); elsewhere
    // it is unknown.
    assertTrue(now.gitHash() == null || now.gitHash().matches("\\S+"), now.gitHash());
  }

  @Test
  void resultsJsonKeepsItsRowsAndAddsTheSection(@TempDir Path dir) throws Exception {
    new EvalOutputs(dir).writeResults(REPORT, PROVENANCE);
    JsonObject root =
        JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
    assertEquals(Set.of("run", "step", "results", "lmms-eval"), root.keySet());
    assertEquals(5, root.getAsJsonArray("results").size());
    assertEquals(
        0.61456,
        root.getAsJsonObject("lmms-eval")
            .getAsJsonObject("results")
            .getAsJsonObject("caption_8shot")
            .get("cider,none")
            .getAsDouble(),
        1e-12);
  }
}
