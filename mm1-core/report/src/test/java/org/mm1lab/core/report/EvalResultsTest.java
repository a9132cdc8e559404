package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class EvalResultsTest {

  /**
   * Three tasks; textvqa was not run at 4 shots, and its row is as files were before standard
   * errors: no "se" and no "items".
   */
  static final String RESULTS =
      """
      {"run":"quickstart","step":600,"results":[
        {"task":"caption","shots":0,"metric":"CIDEr-D","score":53.2,"se":1.6,"items":100},
        {"task":"vqa","shots":0,"metric":"VQA accuracy","score":41.0,"se":1.2,"items":150},
        {"task":"textvqa","shots":0,"metric":"VQA accuracy","score":30.5},
        {"task":"caption","shots":4,"metric":"CIDEr-D","score":60.1,"se":2.4,"items":100},
        {"task":"vqa","shots":4,"metric":"VQA accuracy","score":45.3,"se":null,"items":150}
      ]}
      """;

  @TempDir Path dir;

  private Path write(String text) throws Exception {
    Path file = dir.resolve("results.json");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsTheTableWithAveragesOverTasks() throws Exception {
    EvalResults results = EvalResults.read(write(RESULTS));

    assertEquals("quickstart", results.run());
    assertEquals(600, results.step());
    assertEquals(List.of("caption", "vqa", "textvqa"), results.tasks());
    assertEquals(List.of(0, 4), results.shotCounts());
    assertEquals(41.0, results.find("vqa", 0).orElseThrow().score());
    assertEquals(150, results.find("vqa", 0).orElseThrow().items());
    assertEquals(0, results.find("textvqa", 0).orElseThrow().items(), "items is optional");
    assertFalse(results.find("textvqa", 4).isPresent());
    // CIDEr-D is on its own scale; the two VQA accuracies share one.
    assertEquals(
        Map.of("CIDEr-D", List.of("caption"), "%", List.of("vqa", "textvqa")),
        results.tasksByScale());
    List<String> accuracies = List.of("vqa", "textvqa");
    assertEquals((41.0 + 30.5) / 2, results.average(accuracies, 0).getAsDouble(), 1e-9);
    assertEquals(45.3, results.average(accuracies, 4).getAsDouble(), 1e-9);
    assertEquals(1, results.tasksAt(accuracies, 4));
    assertEquals(-1, results.find("vqa", 0).orElseThrow().droppedShots(), "not recorded");
    // The one-number average an ablation's progress line shows is over every task.
    assertEquals((53.2 + 41.0 + 30.5) / 3, results.average(0).getAsDouble(), 1e-9);
    assertEquals("VQA accuracy", results.metricOf("vqa"));
    assertEquals(1.2, results.find("vqa", 0).orElseThrow().se());
    assertFalse(results.find("textvqa", 0).orElseThrow().hasSe(), "a missing se is unknown");
    assertFalse(results.find("vqa", 4).orElseThrow().hasSe(), "a null se is unknown");
    assertTrue(
        Double.isNaN(results.averageSe(accuracies, 0)),
        "textvqa's is unknown, so the average's is");
    assertTrue(Double.isNaN(results.averageSe(accuracies, 8)), "nothing at 8 shots");
  }

  @Test
  void theAverageCombinesTheTasksStandardErrorsAsIndependentSamples() throws Exception {
    EvalResults results =
        EvalResults.read(
            write(
                "{\"run\":\"r\",\"step\":1,\"results\":["
                    + "{\"task\":\"text-core\",\"shots\":0,\"metric\":\"exact match\","
                    + "\"score\":50,\"se\":3},"
                    + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\",\"score\":40,"
                    + "\"se\":4},"
                    + "{\"task\":\"vqa/colour\",\"shots\":0,\"metric\":\"VQA accuracy\","
                    + "\"score\":90,\"se\":100}]}"));
    // (50 + 40) / 2 = 45; SE sqrt(3^2 + 4^2) / 2 = 5 / 2 = 2.5; the break-down row is no task.
    assertEquals(2.5, results.averageSe(List.of("text-core", "vqa"), 0), 1e-12);
    EvalTable table = new EvalTable(results);
    assertEquals(List.of("50.0 \u00b1 3.0"), table.rows().get(0).cells());
    assertEquals(1, table.averages().size());
    assertEquals("Average of text-core, vqa", table.averages().get(0).task());
    assertEquals("accuracy, %", table.averages().get(0).metric());
    assertEquals(List.of("45.0 \u00b1 2.5"), table.averages().get(0).cells());
  }

  /** CIDEr-D is not a percentage: it is never averaged with accuracies. */
  @Test
  void captioningAndAccuraciesAreNeverAveragedTogether() throws Exception {
    EvalResults results =
        EvalResults.read(
            write(
                "{\"run\":\"r\",\"step\":1,\"results\":["
                    + "{\"task\":\"caption\",\"shots\":0,\"metric\":\"CIDEr-D\",\"score\":150},"
                    + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\",\"score\":40}"
                    + "]}"));
    assertEquals(List.of(), new EvalTable(results).averages(), "no two tasks share a scale");
  }

  @Test
  void theDroppedShotsColumnShowsWhatTheFileRecords() throws Exception {
    EvalTable table =
        new EvalTable(
            EvalResults.read(
                write(
                    "{\"run\":\"r\",\"step\":1,\"results\":["
                        + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\","
                        + "\"score\":40,\"dropped-shots\":0},"
                        + "{\"task\":\"vqa\",\"shots\":4,\"metric\":\"VQA accuracy\","
                        + "\"score\":41,\"dropped-shots\":12},"
                        + "{\"task\":\"caption\",\"shots\":0,\"metric\":\"CIDEr-D\","
                        + "\"score\":41,\"dropped-shots\":0},"
                        + "{\"task\":\"old\",\"shots\":0,\"metric\":\"CIDEr-D\",\"score\":1}"
                        + "]}")));
    assertEquals(List.of("0-shot", "4-shot", EvalTable.DROPPED), table.headers());
    assertEquals(List.of("40.0", "41.0", "4-shot: 12"), table.rows().get(0).cells());
    assertEquals(List.of("41.0", EvalTable.MISSING, "0"), table.rows().get(1).cells());
    assertEquals(EvalTable.MISSING, table.rows().get(2).cells().get(2), "not recorded");
    // Both CIDEr-D tasks are averaged; the average row has no dropped-shots count.
    assertEquals(List.of("21.0", EvalTable.MISSING, ""), table.averages().get(0).cells());
  }

  @Test
  void aNegativeStandardErrorNamesFileAndEntry() throws Exception {
    Path file =
        write(
            "{\"run\":\"r\",\"step\":1,\"results\":["
                + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"acc\",\"score\":1,\"se\":-1}]}");
    UserException e = assertThrows(UserException.class, () -> EvalResults.read(file));
    assertEquals(
        file + ": results[0]: \"se\" must be a number >= 0 or null, not -1", e.getMessage());
    Path text =
        write(
            "{\"run\":\"r\",\"step\":1,\"results\":["
                + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"acc\",\"score\":1,\"se\":\"x\"}]}");
    UserException t = assertThrows(UserException.class, () -> EvalResults.read(text));
    assertEquals(text + ": results[0]: \"se\" must be a number", t.getMessage());
  }

  @Test
  void formatsTheTableWithOneDecimalAndMarksPartialAverages() throws Exception {
    EvalTable table = new EvalTable(EvalResults.read(write(RESULTS)));
    assertEquals(List.of("0-shot", "4-shot"), table.headers());
    assertEquals(List.of("53.2 \u00b1 1.6", "60.1 \u00b1 2.4"), table.rows().get(0).cells());
    assertEquals(List.of("41.0 \u00b1 1.2", "45.3"), table.rows().get(1).cells());
    assertEquals(List.of("30.5", EvalTable.MISSING), table.rows().get(2).cells());
    // Only the accuracies are averaged: (41.0 + 30.5) / 2 = 35.75, and 45.3 over 1 of the 2 tasks.
    assertEquals(1, table.averages().size());
    assertEquals(List.of("35.8", "45.3 (1 of 2 tasks)"), table.averages().get(0).cells());
  }

  @Test
  void breakDownRowsAreShownButNotAveraged() throws Exception {
    EvalResults results =
        EvalResults.read(
            write(
                "{\"run\":\"r\",\"step\":1,\"results\":["
                    + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"VQA accuracy\",\"score\":40},"
                    + "{\"task\":\"text-core\",\"shots\":0,\"metric\":\"exact match\",\"score\":60},"
                    + "{\"task\":\"text-core/count\",\"shots\":0,\"metric\":\"exact match\","
                    + "\"score\":90}]}"));
    assertEquals(List.of("vqa", "text-core", "text-core/count"), results.tasks());
    // (40 + 60) / 2, not (40 + 60 + 90) / 3
    assertEquals(Map.of("%", List.of("vqa", "text-core")), results.tasksByScale());
    assertEquals(List.of("50.0"), new EvalTable(results).averages().get(0).cells());
  }

  @Test
  void twoScoresForOneTaskAndShotCountAreRejected() throws Exception {
    Path file =
        write(
            "{\"run\":\"r\",\"step\":1,\"results\":["
                + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"acc\",\"score\":1},"
                + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"acc\",\"score\":2}]}");
    UserException e = assertThrows(UserException.class, () -> EvalResults.read(file));
    assertTrue(e.getMessage().contains("results[1]"), e.getMessage());
    assertTrue(e.getMessage().contains("results[0]"), e.getMessage());
  }

  @Test
  void aMissingFieldNamesFileAndEntry() throws Exception {
    Path file =
        write(
            "{\"run\":\"r\",\"step\":1,\"results\":["
                + "{\"task\":\"vqa\",\"shots\":0,\"metric\":\"acc\"}]}");
    UserException e = assertThrows(UserException.class, () -> EvalResults.read(file));
    assertEquals(file + ": results[0]: \"score\" must be a number", e.getMessage());
  }

  @Test
  void malformedJsonNamesTheFile() throws Exception {
    Path file = write("{\"run\":\"r\",");
    UserException e = assertThrows(UserException.class, () -> EvalResults.read(file));
    assertTrue(e.getMessage().startsWith(file + ": malformed JSON"), e.getMessage());
  }
}
