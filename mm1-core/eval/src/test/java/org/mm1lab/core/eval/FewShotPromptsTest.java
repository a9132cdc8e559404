package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.WorldTokenizer;

/** The prompt layout, token by token, on hand-made items. */
class FewShotPromptsTest {

  private static final int T = 3;
  private final WorldTokenizer tokenizer = new WorldTokenizer();
  private final FewShotPrompts prompts = new FewShotPrompts(tokenizer, T, 1000);

  /** The prompt's tokens by name, image slots as {@code <image>} (checked against the mask). */
  private List<String> names(Prompt prompt) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < prompt.length(); i++) {
      int id = prompt.tokens()[i];
      assertEquals(id == tokenizer.imageId(), prompt.imageSlots()[i], "slot mask at " + i);
      out.add(tokenizer.tokens().get(id));
    }
    return out;
  }

  private static List<String> image() {
    return List.of("<image>", "<image>", "<image>");
  }

  private static List<String> concat(List<?>... parts) {
    List<String> out = new ArrayList<>();
    for (List<?> part : parts) {
      for (Object o : part) {
        out.add((String) o);
      }
    }
    return out;
  }

  @Test
  void configuredTemplatesShapeExamplesAndQueries() {
    PromptTemplates plain =
        new PromptTemplates(
            "<image>{answer}", "<image>question: {question} {answer}", "{prompt} answer: {answer}");
    FewShotPrompts custom = new FewShotPrompts(tokenizer, T, 1000, plain);
    List<EvalItem> captions = EvalFixtures.captions("c", 2);
    EvalItem.Caption shot = (EvalItem.Caption) captions.get(1);
    Prompt p = custom.build(captions.get(0), List.of(shot), 5);
    List<String> shotText = new ArrayList<>();
    for (int id : tokenizer.encode(FewShotPrompts.shownAnswer(shot))) {
      shotText.add(tokenizer.tokens().get(id));
    }
    // the example: its image then its caption alone; the query: its image and nothing after it
    assertEquals(concat(List.of("<bos>"), image(), shotText, List.of("<eoc>"), image()), names(p));
    assertEquals("<image>", p.query());

    EvalItem text = EvalFixtures.text("t", 1).get(0);
    List<String> t = names(custom.build(text, List.of(), 5));
    assertEquals(
        List.of("answer", ":"),
        t.subList(t.size() - 2, t.size()),
        "the query ends with the text before {answer}");
  }

  @Test
  void captionExamplesShowEveryReferencePositionNotOnlyTheFirst() {
    List<EvalItem> items = EvalFixtures.captions("pick", 400);
    int[] shown = new int[5];
    for (EvalItem item : items) {
      EvalItem.Caption caption = (EvalItem.Caption) item;
      String answer = FewShotPrompts.shownAnswer(caption);
      assertEquals(answer, FewShotPrompts.shownAnswer(caption), "the same item shows the same");
      shown[caption.references().indexOf(answer)]++;
    }
    // 400 fair draws of five: each count is within 80 +- 48 (about 6 standard deviations)
    for (int r = 0; r < 5; r++) {
      assertTrue(
          shown[r] > 32 && shown[r] < 128, "reference " + r + " shown " + shown[r] + " times");
    }
    for (int n = 1; n <= 7; n++) {
      for (String id : List.of("a", "b", "item-17", "")) {
        int index = FewShotPrompts.referenceIndex(id, n);
        assertTrue(index >= 0 && index < n, id + " picks " + index + " of " + n);
      }
    }
  }

  @Test
  void badTemplatesAreRefusedNamingTheTask() {
    String good = "<image>{answer}";
    var noImage =
        assertThrows(
            org.mm1lab.api.InvalidOptionException.class,
            () ->
                new PromptTemplates(
                    "Output: {answer}", PromptTemplates.MM1.vqa(), "{prompt} {answer}"));
    assertEquals("caption", noImage.key());
    assertTrue(noImage.getMessage().contains("must start with <image>"), noImage.getMessage());
    var noQuestion =
        assertThrows(
            org.mm1lab.api.InvalidOptionException.class,
            () -> new PromptTemplates(good, "<image>Short answer: {answer}", "{prompt} {answer}"));
    assertEquals("vqa", noQuestion.key());
    assertTrue(noQuestion.getMessage().contains("needs {question}"), noQuestion.getMessage());
    var answerNotLast =
        assertThrows(
            org.mm1lab.api.InvalidOptionException.class,
            () ->
                new PromptTemplates(
                    "<image>{answer}.", PromptTemplates.MM1.vqa(), "{prompt} {answer}"));
    assertTrue(answerNotLast.getMessage().contains("must end with {answer}"));
    var unknown =
        assertThrows(
            org.mm1lab.api.InvalidOptionException.class,
            () -> new PromptTemplates(good, PromptTemplates.MM1.vqa(), "{promt} {answer}"));
    assertEquals("text-core", unknown.key());
    assertTrue(unknown.getMessage().contains("unknown placeholder {promt}"), unknown.getMessage());
    var imageInText =
        assertThrows(
            org.mm1lab.api.InvalidOptionException.class,
            () -> new PromptTemplates(good, PromptTemplates.MM1.vqa(), "<image>{prompt} {answer}"));
    assertTrue(imageInText.getMessage().contains("takes no <image>"));
  }

  @Test
  void zeroShotPromptsEndRightBeforeTheAnswer() {
    EvalItem caption = EvalFixtures.captions("c", 1).get(0);
    Prompt p = prompts.build(caption, List.of(), 5);
    assertEquals(concat(List.of("<bos>"), image(), List.of("output", ":")), names(p));
    assertEquals(List.of(((EvalItem.Caption) caption).image()), p.images());
    assertEquals("<image>Output:", p.query());
    assertEquals(0, p.shots());

    EvalItem vqa = EvalFixtures.vqa("v", 1).get(0);
    assertEquals(
        concat(
            List.of("<bos>"),
            image(),
            List.of(
                "question",
                ":",
                "is",
                "there",
                "a",
                "red",
                "circle",
                "0",
                "?",
                "short",
                "answer",
                ":")),
        names(prompts.build(vqa, List.of(), 5)));
    assertEquals("<image>Question: is there a red circle 0? Short answer:", prompts.display(vqa));

    EvalItem text = EvalFixtures.text("t", 1).get(0);
    Prompt t = prompts.build(text, List.of(), 5);
    assertEquals(List.of("<bos>", "count", "0", ",", "1", ","), names(t));
    assertTrue(t.images().isEmpty());
  }

  @Test
  void fourShotCaptionPromptSeparatesCompleteExamplesWithEndOfChunk() {
    List<EvalItem> shots = EvalFixtures.captions("shot", 4);
    EvalItem query = EvalFixtures.captions("query", 1).get(0);
    Prompt p = prompts.build(query, shots, 5);
    List<String> expected = new ArrayList<>(List.of("<bos>"));
    for (EvalItem shot : shots) {
      // each example: its image, then "Output:" and the reference its id picks, then end-of-chunk
      expected.addAll(image());
      expected.addAll(List.of("output", ":"));
      for (int id : tokenizer.encode(FewShotPrompts.shownAnswer(shot))) {
        expected.add(tokenizer.tokens().get(id));
      }
      expected.add("<eoc>");
    }
    expected.addAll(image());
    expected.addAll(List.of("output", ":"));
    assertEquals(expected, names(p));
    assertEquals(4, p.shots());
    assertEquals(0, p.droppedShots());
    // 5 images of T slots each; images in slot order, the query's last
    assertEquals(5 * T, count(names(p), "<image>"));
    assertEquals(4, count(names(p), "<eoc>"));
    assertEquals(5, p.images().size());
    for (int i = 0; i < 4; i++) {
      assertSame(((EvalItem.Caption) shots.get(i)).image(), p.images().get(i));
    }
    assertSame(((EvalItem.Caption) query).image(), p.images().get(4));
  }

  @Test
  void fourShotVqaAndTextPromptsShowAnswersOfExamplesOnly() {
    List<EvalItem> shots = EvalFixtures.vqa("shot", 4);
    EvalItem query = EvalFixtures.vqa("query", 1).get(0);
    List<String> names = names(prompts.build(query, shots, 5));
    List<String> expected = new ArrayList<>(List.of("<bos>"));
    for (int i = 0; i < 4; i++) {
      expected.addAll(image());
      expected.addAll(
          List.of(
              "question",
              ":",
              "is",
              "there",
              "a",
              "red",
              "circle",
              String.valueOf(i),
              "?",
              "short",
              "answer",
              ":",
              i % 2 == 0 ? "yes" : "no",
              "<eoc>"));
    }
    expected.addAll(image());
    expected.addAll(
        List.of(
            "question",
            ":",
            "is",
            "there",
            "a",
            "red",
            "circle",
            "0",
            "?",
            "short",
            "answer",
            ":"));
    assertEquals(expected, names);

    List<EvalItem> textShots = EvalFixtures.text("shot", 4);
    EvalItem textQuery = new EvalItem.TextTask("q", "count", "count 7, 8,", "9");
    List<String> text = names(prompts.build(textQuery, textShots, 5));
    List<String> expectedText = new ArrayList<>(List.of("<bos>"));
    for (int i = 0; i < 4; i++) {
      expectedText.addAll(
          List.of(
              "count",
              String.valueOf(i),
              ",",
              String.valueOf(i + 1),
              ",",
              String.valueOf(i + 2),
              "<eoc>"));
    }
    expectedText.addAll(List.of("count", "7", ",", "8", ","));
    assertEquals(expectedText, text);
    assertTrue(!text.contains("9"), "the query's answer must not leak into its prompt");
  }

  @Test
  void overLongPromptsDropTheOldestWholeExamplesAndCountThem() {
    // an example is 3 slots + 6 text tokens + end-of-chunk = 10; the query 3 + 2; <bos> 1
    FewShotPrompts short35 = new FewShotPrompts(tokenizer, T, 35);
    List<EvalItem> shots = new ArrayList<>();
    for (EvalItem item : EvalFixtures.captions("shot", 4)) {
      EvalItem.Caption c = (EvalItem.Caption) item;
      shots.add(new EvalItem.Caption(c.id(), c.image(), List.of(c.references().get(0))));
    }
    EvalItem query = EvalFixtures.captions("query", 1).get(0);
    Prompt p = short35.build(query, shots, 4);
    // 1 + 10k + 5 + 4 <= 35 keeps k = 2: the two newest
    assertEquals(2, p.shots());
    assertEquals(2, p.droppedShots());
    assertEquals(26, p.length());
    assertEquals(3, p.images().size());
    assertSame(((EvalItem.Caption) shots.get(2)).image(), p.images().get(0));
    assertSame(((EvalItem.Caption) shots.get(3)).image(), p.images().get(1));
    List<String> names = names(p);
    assertEquals("2", names.get(9), "the first kept example is shot 2, whole");
    assertEquals(3 * T, count(names, "<image>"));

    FewShotPrompts tiny = new FewShotPrompts(tokenizer, T, 8);
    UserException e = assertThrows(UserException.class, () -> tiny.build(query, shots, 4));
    assertTrue(e.getMessage().contains("seq-len"), e.getMessage());
  }

  private static int count(List<String> names, String name) {
    return (int) names.stream().filter(name::equals).count();
  }
}
