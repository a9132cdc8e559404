package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.eval.metrics.CiderD;
import org.mm1lab.core.eval.metrics.ExactMatch;
import org.mm1lab.core.eval.metrics.VqaAccuracy;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.train.MultimodalModel;

class EvaluatorTest {

  @TempDir Path dir;

  private static JsonObject readObject(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  /**
   * The scorer wiring with a scripted "oracle" in place of the model: it answers each query with
   * what it knows of the item (the reference a caption example shows, VQA's majority answer
   * followed by chatter, the right text answer for one sub-task and a wrong one for the other), so
   * every score is known.
   */
  @Test
  void resultsFollowTheSchemaWithKnownScores() throws IOException {
    List<EvalItem> captions = EvalFixtures.captions("c", 4);
    List<EvalItem> vqa = EvalFixtures.vqa("v", 4);
    List<EvalItem> text = EvalFixtures.text("t", 4);
    EvalSets sets =
        EvalSets.of(
            Map.of("caption", captions, "vqa", vqa, "text-core", text),
            Map.of(
                "caption", EvalFixtures.captions("cs", 6),
                "vqa", EvalFixtures.vqa("vs", 6),
                "text-core", EvalFixtures.text("ts", 6)));
    Map<Object, String> oracle = new HashMap<>();
    for (EvalItem item : captions) {
      EvalItem.Caption c = (EvalItem.Caption) item;
      oracle.put(c.image(), FewShotPrompts.shownAnswer(c));
    }
    for (EvalItem item : vqa) {
      EvalItem.Vqa v = (EvalItem.Vqa) item;
      oracle.put(v.image(), FewShotPrompts.shownAnswer(v) + ". and then some");
    }
    for (EvalItem item : text) {
      EvalItem.TextTask t = (EvalItem.TextTask) item;
      oracle.put(t.prompt(), t.task().equals("count") ? t.answer() : "wrong");
    }
    WorldTokenizer tokenizer = new WorldTokenizer();
    List<Prompt> seen = new ArrayList<>();
    Generator scripted =
        (prompts, maxNewTokens) -> {
          assertTrue(prompts.size() <= 3, "batches of at most batch-size");
          seen.addAll(prompts);
          List<String> out = new ArrayList<>();
          for (Prompt p : prompts) {
            Object key = p.images().isEmpty() ? p.query() : p.images().get(p.images().size() - 1);
            out.add(oracle.get(key));
          }
          return out;
        };
    EvalSettings settings =
        new EvalSettings(
            EvalFixtures.config(
                dir,
                "mm1.eval.shots=[0, 2]",
                "mm1.eval.items=4",
                "mm1.eval.batch-size=3",
                "mm1.eval.examples=2"));
    Path out = dir.resolve("eval");
    List<EvalReport.Result> told = new ArrayList<>();
    EvalReport report =
        new Evaluator(settings, sets, new FewShotPrompts(tokenizer, 4, 400), scripted)
            .run("test-run", 600, out, told::add);

    // the prompts: 2 shots means two examples closed by end-of-chunk before each query
    assertEquals(4 * 3 * 2, seen.size());
    long twoShot =
        seen.stream()
            .filter(p -> p.shots() == 2)
            .filter(p -> countOf(p.tokens(), tokenizer.endOfChunkId()) == 2)
            .count();
    assertEquals(4 * 3, twoShot);

    double cider =
        100
            * CiderD.score(
                    captions.stream().map(FewShotPrompts::shownAnswer).toList(),
                    captions.stream().map(c -> ((EvalItem.Caption) c).references()).toList())
                .mean();
    double vqaScore = 0;
    for (EvalItem item : vqa) {
      EvalItem.Vqa v = (EvalItem.Vqa) item;
      vqaScore += 100 * VqaAccuracy.score(FewShotPrompts.shownAnswer(v), v.answers()) / 4;
    }
    double count = 100 * ExactMatch.score("2", "2");

    JsonObject results = readObject(out.resolve("results.json"));
    assertEquals(Set.of("run", "step", "results", "lmms-eval"), results.keySet());
    assertEquals("test-run", results.get("run").getAsString());
    assertEquals(600, results.get("step").getAsLong());
    JsonArray rows = results.getAsJsonArray("results");
    List<String> order = new ArrayList<>();
    for (JsonElement e : rows) {
      JsonObject row = e.getAsJsonObject();
      assertEquals(
          Set.of("task", "shots", "metric", "score", "se", "items", "dropped-shots"), row.keySet());
      assertEquals(0, row.get("dropped-shots").getAsLong(), "every prompt fits: " + row);
      order.add(row.get("task").getAsString() + "@" + row.get("shots").getAsInt());
    }
    assertEquals(
        List.of(
            "caption@0",
            "caption@2",
            "vqa@0",
            "vqa@2",
            "text-core@0",
            "text-core/count@0",
            "text-core/other@0",
            "text-core@2",
            "text-core/count@2",
            "text-core/other@2"),
        order);
    assertRow(rows.get(0), "caption", 0, "CIDEr-D", cider, 4);
    assertRow(rows.get(3), "vqa", 2, "VQA accuracy", vqaScore, 4);
    assertRow(rows.get(4), "text-core", 0, "exact match", count / 2, 4);
    assertRow(rows.get(5), "text-core/count", 0, "exact match", count, 2);
    assertRow(rows.get(6), "text-core/other", 0, "exact match", 0, 2);
    // text-core: 100, 100, 0, 0 in some order: mean 50, sd sqrt(4 * 2500 / 3), SE 28.8675.
    assertEquals(28.8675, rows.get(4).getAsJsonObject().get("se").getAsDouble(), 1e-4);
    // Each sub-task is all right or all wrong: no spread.
    assertEquals(0.0, rows.get(5).getAsJsonObject().get("se").getAsDouble());
    assertEquals(
        report.results().get(0).se(), rows.get(0).getAsJsonObject().get("se").getAsDouble(), 1e-4);
    assertEquals(report.results().size(), rows.size());
    assertEquals(6, told.size(), "one call per task and shot count");
    // The lmms-eval section: the same scores on the metric's own scale, and the settings.
    JsonObject lmms = results.getAsJsonObject("lmms-eval");
    assertEquals(
        rows.get(3).getAsJsonObject().get("score").getAsDouble() / 100,
        lmms.getAsJsonObject("results")
            .getAsJsonObject("vqa_2shot")
            .get("vqa_accuracy,none")
            .getAsDouble(),
        1e-6);
    assertEquals(
        settings.maxNewTokens("vqa"),
        lmms.getAsJsonObject("configs")
            .getAsJsonObject("vqa_2shot")
            .getAsJsonObject("generation_kwargs")
            .get("max_new_tokens")
            .getAsInt());
    assertEquals(3, lmms.getAsJsonObject("config").get("batch_size").getAsInt());
    assertEquals(4, lmms.getAsJsonObject("config").get("limit").getAsInt());

    JsonArray examples =
        JsonParser.parseString(Files.readString(out.resolve("examples.json"))).getAsJsonArray();
    assertEquals(2 * 3 * 2, examples.size());
    JsonObject first = examples.get(0).getAsJsonObject();
    assertEquals(
        Set.of("task", "shots", "image", "prompt", "output", "expected", "metric", "score"),
        first.keySet());
    assertEquals("CIDEr-D", first.get("metric").getAsString());
    assertEquals("caption", first.get("task").getAsString());
    assertEquals("examples/caption-0.png", first.get("image").getAsString());
    assertEquals("<image>Output:", first.get("prompt").getAsString());
    assertEquals(FewShotPrompts.shownAnswer(captions.get(0)), first.get("output").getAsString());
    assertEquals(5, first.getAsJsonArray("expected").size());
    for (JsonElement e : examples) {
      JsonObject example = e.getAsJsonObject();
      if (example.get("task").getAsString().equals("text-core")) {
        assertTrue(example.get("image").isJsonNull());
      } else {
        assertNotNull(ImageIO.read(out.resolve(example.get("image").getAsString()).toFile()));
      }
    }
    JsonObject vqaExample = examples.get(4).getAsJsonObject();
    assertEquals("yes", vqaExample.get("output").getAsString(), "chatter after the answer is cut");
    // The example's own score is the metric applied to its output and answers, x100.
    List<String> answers = new ArrayList<>();
    vqaExample.getAsJsonArray("expected").forEach(a -> answers.add(a.getAsString()));
    assertEquals("VQA accuracy", vqaExample.get("metric").getAsString());
    assertEquals(
        100 * VqaAccuracy.score("yes", answers), vqaExample.get("score").getAsDouble(), 1e-3);

    List<String> predictions = Files.readAllLines(out.resolve("predictions.jsonl"));
    assertEquals(4 * 3 * 2, predictions.size());
    JsonObject line = JsonParser.parseString(predictions.get(0)).getAsJsonObject();
    assertEquals("c-0", line.get("id").getAsString());
    try (Stream<Path> files = Files.list(out)) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporaries");
    }
    String table = ResultsTable.render(report);
    assertTrue(table.startsWith("run test-run, step 600\n"), table);
    assertTrue(table.contains("text-core/count"), table);
  }

  private static void assertRow(
      JsonElement element, String task, int shots, String metric, double score, int items) {
    JsonObject row = element.getAsJsonObject();
    assertEquals(task, row.get("task").getAsString());
    assertEquals(shots, row.get("shots").getAsInt());
    assertEquals(metric, row.get("metric").getAsString());
    assertEquals(score, row.get("score").getAsDouble(), 1e-3, task + " score");
    assertEquals(items, row.get("items").getAsInt());
  }

  private static long countOf(int[] tokens, int id) {
    long n = 0;
    for (int t : tokens) {
      n += t == id ? 1 : 0;
    }
    return n;
  }

  @Test
  void theTableCountsDroppedShots() throws IOException {
    EvalReport report =
        new EvalReport(
            "r",
            3,
            List.of(
                new EvalReport.Result("caption", 0, "CIDEr-D", 53.2, 1.8449, 100, 0),
                new EvalReport.Result("caption", 8, "CIDEr-D", 61.456, Double.NaN, 100, 12)));
    String table = ResultsTable.render(report);
    assertEquals(
        String.join(
            "\n",
            "run r, step 3",
            "task     shots  metric      score      se  items  dropped shots",
            "caption      0  CIDEr-D     53.20    1.84    100              0",
            "caption      8  CIDEr-D     61.46       -    100             12",
            ""),
        table);
    // results.json records the same counts, for the report and for other tools.
    new EvalOutputs(dir.resolve("dropped")).writeResults(report);
    JsonArray rows = readObject(dir.resolve("dropped/results.json")).getAsJsonArray("results");
    assertEquals(0, rows.get(0).getAsJsonObject().get("dropped-shots").getAsLong());
    assertEquals(12, rows.get(1).getAsJsonObject().get("dropped-shots").getAsLong());
    // Each evaluation is also appended to the history, which keeps the earlier ones.
    new EvalOutputs(dir.resolve("dropped"))
        .writeResults(new EvalReport("r", 9, report.results(), List.of()));
    List<String> history = Files.readAllLines(dir.resolve("dropped/history.jsonl"));
    assertEquals(2, history.size(), history.toString());
    assertEquals(
        3, JsonParser.parseString(history.get(0)).getAsJsonObject().get("step").getAsInt());
    JsonObject latest = JsonParser.parseString(history.get(1)).getAsJsonObject();
    assertEquals(9, latest.get("step").getAsInt());
    assertEquals(
        61.456,
        latest.getAsJsonArray("results").get(1).getAsJsonObject().get("score").getAsDouble(),
        1e-9);
  }

  /**
   * VQA items with short questions, and one whose question is long enough that its prompt cannot
   * hold two examples where the others can.
   */
  private static List<EvalItem> vqaWithOneLongQuestion(int shortOnes) {
    List<EvalItem> items = new ArrayList<>(EvalFixtures.vqa("v", shortOnes));
    EvalItem.Vqa template = (EvalItem.Vqa) items.get(0);
    items.add(
        new EvalItem.Vqa(
            "v-long",
            template.image(),
            "is there a red circle next to the blue square below the green star on the left of"
                + " the yellow ring in this picture?",
            template.answers()));
    return items;
  }

  /**
   * The sequence length at which every short-question item's 2-shot prompt fits exactly or with
   * room, and the long question's does not: measured on the prompts themselves, so that the test
   * does not depend on how the tokenizer splits words.
   */
  private static int lengthForTwoShots(
      List<EvalItem> items, ShotSelector selector, WorldTokenizer tokenizer, int maxNewTokens) {
    FewShotPrompts unbounded = new FewShotPrompts(tokenizer, 4, 10_000);
    int fits = 0;
    for (EvalItem item : items) {
      if (!item.id().equals("v-long")) {
        fits =
            Math.max(
                fits,
                unbounded.build(item, selector.select(item.id(), 2), maxNewTokens).length()
                    + maxNewTokens);
      }
    }
    return fits;
  }

  private record Skipping(
      EvalReport report, List<Prompt> generated, List<EvalReport.Skipped> told, JsonObject json) {}

  private Skipping evaluateVqa(List<EvalItem> items, String name) throws IOException {
    List<EvalItem> pool = EvalFixtures.vqa("vs", 8);
    WorldTokenizer tokenizer = new WorldTokenizer();
    EvalSettings settings =
        new EvalSettings(
            EvalFixtures.config(
                Files.createDirectories(dir.resolve(name)),
                "mm1.eval.tasks=[vqa]",
                "mm1.eval.shots=[0, 2, 4]",
                "mm1.eval.items=" + items.size(),
                "mm1.eval.examples=0"));
    int maxLength =
        lengthForTwoShots(
            items,
            new ShotSelector(settings.seed(), "vqa", pool),
            tokenizer,
            settings.maxNewTokens("vqa"));
    List<Prompt> generated = new ArrayList<>();
    Generator answersYes =
        (prompts, maxNewTokens) -> {
          generated.addAll(prompts);
          return prompts.stream().map(p -> "yes").toList();
        };
    List<EvalReport.Skipped> told = new ArrayList<>();
    Path out = dir.resolve(name).resolve("eval");
    EvalReport report =
        new Evaluator(
                settings,
                EvalSets.of(Map.of("vqa", items), Map.of("vqa", pool)),
                new FewShotPrompts(tokenizer, 4, maxLength),
                answersYes)
            .run(name, 1, out, result -> {}, told::add);
    return new Skipping(report, generated, told, readObject(out.resolve("results.json")));
  }

  @Test
  void aShotCountMostPromptsCannotHoldIsSkippedWithOneWarning() throws IOException {
    Skipping run = evaluateVqa(vqaWithOneLongQuestion(3), "most");

    // 2 shots: the long question's prompt drops an example, the three others hold both, so the
    // count is evaluated and the drop counted; 4 shots: no prompt holds four, so it is skipped.
    List<EvalReport.Result> vqa =
        run.report().results().stream().filter(r -> r.task().equals("vqa")).toList();
    assertEquals(List.of(0, 2), vqa.stream().map(EvalReport.Result::shots).toList());
    assertEquals(0, vqa.get(0).droppedShots());
    assertTrue(vqa.get(1).droppedShots() > 0, "the long question's drop is counted");
    assertEquals(4 * 2, run.generated().size(), "nothing is generated for a skipped count");

    assertEquals(1, run.told().size());
    EvalReport.Skipped skipped = run.told().get(0);
    assertEquals(List.of(skipped), run.report().skipped());
    assertEquals("vqa", skipped.task());
    assertEquals(4, skipped.shots());
    assertEquals(4, skipped.itemsShort());
    assertEquals(4, skipped.items());
    assertEquals(2, skipped.typical(), "the short questions' prompts still hold two");
    assertTrue(
        skipped.describe().startsWith("vqa 4-shot skipped: 4 of 4 prompts cannot hold 4"),
        skipped.describe());
    assertFalse(skipped.describe().contains("\n"), "one line");

    JsonArray written = run.json().getAsJsonArray("skipped");
    assertEquals(1, written.size());
    JsonObject entry = written.get(0).getAsJsonObject();
    assertEquals("vqa", entry.get("task").getAsString());
    assertEquals(4, entry.get("shots").getAsInt());
    assertEquals(4, entry.get("items-short").getAsInt());
    assertEquals(2, entry.get("typical-shots").getAsInt());
    assertEquals(skipped.maxLength(), entry.get("seq-len").getAsInt());
    for (JsonElement row : run.json().getAsJsonArray("results")) {
      assertTrue(row.getAsJsonObject().get("shots").getAsInt() != 4, row.toString());
    }
  }

  @Test
  void aShotCountHalfThePromptsHoldIsEvaluated() throws IOException {
    // One short and one long question: at 2 shots exactly half of the prompts drop an example,
    // which is not "most", so the count is scored with its drop counted.
    Skipping run = evaluateVqa(vqaWithOneLongQuestion(1), "half");

    List<Integer> shots =
        run.report().results().stream()
            .filter(r -> r.task().equals("vqa"))
            .map(EvalReport.Result::shots)
            .toList();
    assertEquals(List.of(0, 2), shots);
    assertTrue(
        run.report().results().stream()
                .filter(r -> r.task().equals("vqa") && r.shots() == 2)
                .findFirst()
                .orElseThrow()
                .droppedShots()
            > 0);
    assertEquals(
        List.of(4), run.report().skipped().stream().map(EvalReport.Skipped::shots).toList());
  }

  /** The real (stand-in) model end to end on the synthetic world's held-out items. */
  @Test
  void theAssembledModelIsEvaluatedEndToEndOnWorldItems() throws IOException {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config =
        assembly.load(
            RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN),
            List.of(
                "mm1.train.seq-len=128",
                "mm1.eval.items=3",
                "mm1.eval.shots=[0, 1]",
                "mm1.eval.batch-size=2",
                "mm1.eval.examples=1"));
    EvalSettings settings = new EvalSettings(config);
    DataSettings data = new DataSettings(config);
    MultimodalModel model = new MultimodalModel(assembly.assemble(config));
    WorldTokenizer tokenizer = new WorldTokenizer();
    Path out = dir.resolve("runs/test/eval");
    Engine.getInstance().setRandomSeed(3);
    EvalReport report;
    try (NDManager manager = NDManager.newBaseManager()) {
      model.initialize(manager, 128);
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(model.components().encoder().imageSize(), data.mean(), data.std());
      report =
          new Evaluator(
                  model,
                  tokenizer,
                  preprocessor,
                  settings,
                  EvalSets.open(settings, data),
                  128,
                  manager)
              .run("test", 10, out);
    }
    for (String file : List.of("results.json", "examples.json", "predictions.jsonl")) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    assertTrue(ImageIO.read(out.resolve("examples/caption-0.png").toFile()).getWidth() > 0);
    assertTrue(ImageIO.read(out.resolve("examples/vqa-0.png").toFile()).getWidth() > 0);
    assertEquals(3 * 3 * 2, Files.readAllLines(out.resolve("predictions.jsonl")).size());
    JsonArray rows = readObject(out.resolve("results.json")).getAsJsonArray("results");
    assertEquals(report.results().size(), rows.size());
    int main = 0;
    for (EvalReport.Result r : report.results()) {
      assertTrue(Double.isFinite(r.score()) && r.score() >= 0, r.toString());
      if (!r.task().equals("caption")) {
        assertTrue(r.score() <= 100, r.toString());
      }
      if (!r.task().contains("/")) {
        main++;
        assertEquals(3, r.items());
        assertTrue(r.se() >= 0, "three items have a standard error: " + r);
      }
    }
    assertEquals(6, main);
  }
}
