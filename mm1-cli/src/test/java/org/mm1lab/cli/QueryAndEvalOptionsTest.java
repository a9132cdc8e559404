package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;

/**
 * {@code mm1 ask}, {@code mm1 caption} and {@code mm1 eval} options on a tiny model trained here:
 * answer length, greedy and seeded sampling (the same seed the same answer), JSON answers that
 * parse, unknown words said on standard error, questions too long for the model's context and bad
 * option values refused in one line, and evaluation narrowed to tasks, shot counts and items.
 */
class QueryAndEvalOptionsTest {

  @TempDir static Path dir;

  private static Path trained;
  private static Path image;
  private static Path otherImage;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(
        runFile,
        InterruptTest.TINY_RUN
            .replace("steps = 100000", "steps = 4")
            .replace("  data.mix", "  eval { examples = 1 }\n  data.mix"));
    trained = dir.resolve("trained");
    Result result = mm1("train", runFile.toString(), "--out", trained.toString());
    assertEquals(0, result.status(), result.err());
    image = picture("circle.png", Color.RED);
    otherImage = picture("square.png", Color.BLUE);
  }

  private static Path picture(String name, Color colour) throws IOException {
    BufferedImage pixels = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = pixels.createGraphics();
    g.setColor(colour);
    g.fillOval(5, 5, 30, 30);
    g.dispose();
    Path file = dir.resolve(name);
    ImageIO.write(pixels, "png", file.toFile());
    return file;
  }

  private static List<String> args(String... args) {
    return new ArrayList<>(List.of(args));
  }

  private static Result ok(List<String> args) {
    Result result = mm1(args);
    assertEquals(0, result.status(), String.join(" ", args) + "\n" + result.err());
    return result;
  }

  private static JsonObject oneJson(Result result) {
    List<String> lines = result.out().strip().lines().toList();
    assertEquals(1, lines.size(), result.out());
    return JsonParser.parseString(lines.get(0)).getAsJsonObject();
  }

  /** Exit 2, exactly one line on standard error holding {@code expected}, no stack trace. */
  private static String refused(String expected, String... args) {
    Result result = mm1(args);
    assertEquals(2, result.status(), String.join(" ", args) + "\n" + result.err());
    assertEquals(1, result.errLines().size(), result.err());
    String line = result.errLines().get(0);
    assertTrue(line.startsWith("mm1: error: "), line);
    assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
    assertFalse(line.contains("Exception"), line);
    assertEquals("", result.out());
    return line;
  }

  @Test
  void askAnswersGreedilyByDefaultAndAsJson() {
    String question = "what colour is the circle?";
    Result plain =
        ok(args("ask", trained.toString(), image.toString(), question, "--max-new-tokens", "3"));
    assertEquals("", plain.err());
    assertEquals(1, plain.out().strip().lines().count(), plain.out());
    Result json =
        ok(
            args(
                "ask",
                trained.toString(),
                image.toString(),
                question,
                "--json",
                "--max-new-tokens",
                "3"));
    JsonObject answer = oneJson(json);
    assertEquals(plain.out().strip(), answer.get("answer").getAsString());
    assertEquals(image.toString(), answer.get("image").getAsString());
    assertEquals("vqa", answer.get("task").getAsString());
    assertEquals(question, answer.get("question").getAsString());
    assertEquals(
        "<image>Question: " + question + " Short answer:", answer.get("prompt").getAsString());
    // <bos>, the connector's 4 image tokens, then the words
    assertTrue(answer.get("prompt-tokens").getAsInt() > 5, answer.toString());
    int answerTokens = answer.get("answer-tokens").getAsInt();
    assertTrue(answerTokens >= 0 && answerTokens <= 3, answer.toString());
    assertEquals(3, answer.get("max-new-tokens").getAsInt());
    assertEquals(48, answer.get("context").getAsInt());
    assertTrue(
        answer.get("checkpoint").getAsString().endsWith("checkpoints/step-00000004"),
        answer.toString());
    assertEquals(4, answer.get("step").getAsInt());
    JsonObject sampling = answer.getAsJsonObject("sampling");
    assertEquals("greedy", sampling.get("mode").getAsString());
    assertEquals(0, answer.getAsJsonArray("unknown-words").size());
    assertEquals(0, answer.getAsJsonArray("spelled-words").size());
  }

  @Test
  void theSameSeedSamplesTheSameAnswerAndOtherSeedsOthers() {
    List<String> sampled =
        args(
            "caption",
            trained.toString(),
            image.toString(),
            "--temperature",
            "5",
            "--top-p",
            "0.99",
            "--max-new-tokens",
            "8",
            "--json");
    List<String> first = new ArrayList<>(sampled);
    first.addAll(List.of("--seed", "7"));
    JsonObject a = oneJson(ok(first));
    JsonObject b = oneJson(ok(first));
    assertEquals(a, b);
    JsonObject sampling = a.getAsJsonObject("sampling");
    assertEquals("sample", sampling.get("mode").getAsString());
    assertEquals(5.0, sampling.get("temperature").getAsDouble());
    assertEquals(0.99, sampling.get("top-p").getAsDouble());
    assertEquals(7, sampling.get("seed").getAsLong());
    assertTrue(a.get("answer-tokens").getAsInt() <= 8, a.toString());

    // a hot distribution over a barely trained model: the seeds draw different captions
    Set<String> captions = new HashSet<>();
    for (int seed = 0; seed < 4; seed++) {
      List<String> other = new ArrayList<>(sampled);
      other.addAll(List.of("--seed", String.valueOf(seed)));
      captions.add(oneJson(ok(other)).get("answer").getAsString());
    }
    assertTrue(captions.size() > 1, captions.toString());
    // a nucleus that holds only the most likely token samples what greedy decoding takes
    List<String> greedyArgs =
        args("caption", trained.toString(), image.toString(), "--max-new-tokens", "8", "--json");
    JsonObject greedy = oneJson(ok(greedyArgs));
    List<String> nucleusArgs = new ArrayList<>(greedyArgs);
    nucleusArgs.addAll(List.of("--temperature", "1", "--top-p", "1e-9", "--seed", "3"));
    assertEquals(greedy.get("answer"), oneJson(ok(nucleusArgs)).get("answer"));
    assertEquals("greedy", greedy.getAsJsonObject("sampling").get("mode").getAsString());
  }

  @Test
  void captionPrintsOneLinePerImageInEitherForm() {
    Result plain = ok(args("caption", trained.toString(), image.toString(), otherImage.toString()));
    List<String> lines = plain.out().strip().lines().toList();
    assertEquals(2, lines.size(), plain.out());
    assertTrue(lines.get(0).startsWith(image + ": "), lines.get(0));
    assertTrue(lines.get(1).startsWith(otherImage + ": "), lines.get(1));

    Result json =
        ok(
            args(
                "caption",
                trained.toString(),
                image.toString(),
                otherImage.toString(),
                "--json",
                "--max-new-tokens",
                "2"));
    List<String> objects = json.out().strip().lines().toList();
    assertEquals(2, objects.size(), json.out());
    for (int i = 0; i < 2; i++) {
      JsonObject caption = JsonParser.parseString(objects.get(i)).getAsJsonObject();
      assertEquals(
          List.of(image, otherImage).get(i).toString(), caption.get("image").getAsString());
      assertEquals("caption", caption.get("task").getAsString());
      assertEquals("<image>Output:", caption.get("prompt").getAsString());
      assertFalse(caption.has("question"));
      assertTrue(caption.get("answer-tokens").getAsInt() <= 2, caption.toString());
    }
  }

  @Test
  void wordsOutsideTheVocabularyAreCountedOnStandardError() {
    Result result =
        ok(args("ask", trained.toString(), image.toString(), "is the zebra café red?", "--json"));
    assertEquals(
        List.of(
            "mm1: warning: 1 word is not in the model's vocabulary: café; it is read as <unk>",
            "mm1: warning: 1 word is not in the model's vocabulary: zebra; it is spelled letter by"
                + " letter"),
        result.errLines());
    JsonObject answer = oneJson(result);
    JsonArray unknown = answer.getAsJsonArray("unknown-words");
    assertEquals(List.of("café"), strings(unknown));
    assertEquals(List.of("zebra"), strings(answer.getAsJsonArray("spelled-words")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    for (JsonElement element : array) {
      out.add(element.getAsString());
    }
    return out;
  }

  @Test
  void questionsAndOptionsThatCannotWorkAreRefusedInOneLine() {
    String model = trained.toString();
    String picture = image.toString();
    refused("the question is empty", "ask", model, picture, " ");
    String tooLong =
        refused(
            "the question is too long for the model: its prompt takes",
            "ask",
            model,
            picture,
            "is the red circle left of the blue square ".repeat(6));
    assertTrue(tooLong.contains("past the model's context of 48 tokens"), tooLong);
    assertTrue(tooLong.endsWith("; shorten the question"), tooLong);
    assertFalse(tooLong.contains("seq-len"), tooLong);
    String noRoom =
        refused(
            "past the model's context of 48 tokens",
            "caption",
            model,
            picture,
            "--max-new-tokens",
            "100");
    assertTrue(
        noRoom.matches(
            ".*the caption prompt takes 7 tokens .* ask for at most 41 new tokens"
                + " \\(--max-new-tokens 41\\)"),
        noRoom);

    refused(
        "--max-new-tokens 0: give at least 1",
        "ask",
        model,
        picture,
        "what?",
        "--max-new-tokens",
        "0");
    refused(
        "--max-new-tokens -3: give at least 1", "caption", model, picture, "--max-new-tokens=-3");
    refused(
        "--temperature -0.5: give 0 (greedy) or a number above 0",
        "ask",
        model,
        picture,
        "what?",
        "--temperature=-0.5");
    refused(
        "--top-p 0.0: give a probability above 0 and at most 1",
        "caption",
        model,
        picture,
        "--temperature",
        "1",
        "--top-p",
        "0");
    refused(
        "--top-p 1.5: give a probability above 0 and at most 1",
        "caption",
        model,
        picture,
        "--temperature",
        "1",
        "--top-p",
        "1.5");
    refused(
        "--top-p 0.9 samples only with --temperature above 0",
        "caption",
        model,
        picture,
        "--top-p",
        "0.9");
    refused("'--temperature'", "caption", model, picture, "--temperature", "warm");
    // checked before anything is read: a missing image is not reached
    refused(
        "--max-new-tokens 0",
        "caption",
        model,
        dir.resolve("none.png").toString(),
        "--max-new-tokens",
        "0");
  }

  @Test
  void evalRunsOnlyTheTasksShotsAndItemsAskedFor() throws IOException {
    Path out = dir.resolve("vqa-only");
    Result result =
        ok(
            args(
                "eval",
                trained.toString(),
                "--tasks",
                "vqa",
                "--shots",
                "0,1",
                "--limit",
                "3",
                "--out",
                out.toString()));
    JsonObject results =
        JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    List<String> seen = new ArrayList<>();
    for (JsonElement element : results.getAsJsonArray("results")) {
      JsonObject row = element.getAsJsonObject();
      String task = row.get("task").getAsString();
      // the whole task, then its question kinds (vqa/exists, ...)
      assertTrue(task.equals("vqa") || task.startsWith("vqa/"), row.toString());
      if (task.equals("vqa")) {
        seen.add(task + "/" + row.get("shots").getAsInt());
        assertEquals(3, row.get("items").getAsInt(), row.toString());
      }
    }
    assertEquals(List.of("vqa/0", "vqa/1"), seen, result.out());
    long predictions = Files.readAllLines(out.resolve("predictions.jsonl")).size();
    assertEquals(6, predictions);
  }

  @Test
  void evalOptionsAreCheckedBeforeTheModelLoads() {
    String run = trained.toString();
    assertEquals(
        "mm1: error: --tasks caption,vqq: unknown task 'vqq'; known: caption, vqa, text-core;"
            + " did you mean vqa?",
        refused("unknown task", "eval", run, "--tasks", "caption,vqq"));
    refused("--tasks vqa,vqa: vqa is named twice", "eval", run, "--tasks", "vqa,vqa");
    refused(
        "--shots 0,2000: a shot count is 0 to 1024 in-context examples, not 2000",
        "eval",
        run,
        "--shots",
        "0,2000");
    refused("--shots 4,4: 4 is named twice", "eval", run, "--shots", "4,4");
    refused("--limit 0: give at least 1 item per task", "eval", run, "--limit", "0");
    refused("'--shots'", "eval", run, "--shots", "zero");
    assertNotEquals(0, mm1("eval", run, "--tasks", "").status());
  }
}
