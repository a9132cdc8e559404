package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;

/**
 * VQA scoring of raw human answers, as the synthetic world and many sets have them, and every
 * score's standard error over its items.
 */
class TaskScorerTest {

  private static EvalItem vqa(List<String> humans) {
    return new EvalItem.Vqa(
        "q",
        ImageSource.of(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)),
        "how many?",
        humans);
  }

  @Test
  void vqaScoresAreTheOfficialScriptsOnTheRawHumanAnswers() {
    TaskScorer scorer = new TaskScorer();
    // Ten humans wrote "two": all identical, so the official script compares the raw strings.
    // "two" matches all ten -> 100; "2" matches none -> 0, although "two" normalises to "2".
    EvalItem item = vqa(Collections.nCopies(10, "two"));
    assertEquals(100.0, scorer.score("vqa", List.of(item), List.of("two")).score(), 1e-9);
    assertEquals(0.0, scorer.score("vqa", List.of(item), List.of("2")).score(), 1e-9);
    // Ten humans wrote "Yes": "yes" is not "Yes" when nothing is normalised -> 0.
    EvalItem yes = vqa(Collections.nCopies(10, "Yes"));
    assertEquals(0.0, scorer.score("vqa", List.of(yes), List.of("yes")).score(), 1e-9);
    // Three of ten humans wrote "Three" (capitalised), the others "four": not unanimous, so both
    // sides are normalised. Each leave-one-out subset of 9 holds 3 or 2 matches: (7 * 1 + 3 *
    // 2/3) / 10 = 0.9 -> 90, for "three" and for "3" alike.
    List<String> mixed = new java.util.ArrayList<>(Collections.nCopies(7, "four"));
    mixed.addAll(Collections.nCopies(3, "Three"));
    assertEquals(90.0, scorer.score("vqa", List.of(vqa(mixed)), List.of("three")).score(), 1e-9);
    assertEquals(90.0, scorer.score("vqa", List.of(vqa(mixed)), List.of("3")).score(), 1e-9);
  }

  @Test
  void vqaAccuracyIsBrokenDownByQuestionTypeWhenTheSetNamesThem() {
    BufferedImage pixel = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    List<EvalItem> items =
        List.of(
            new EvalItem.Vqa("a", ImageSource.of(pixel), "what shape?", nTimes("star"), "shape"),
            new EvalItem.Vqa("b", ImageSource.of(pixel), "what shape?", nTimes("ring"), "shape"),
            new EvalItem.Vqa("c", ImageSource.of(pixel), "how many?", nTimes("two"), "count"));
    TaskScorer.Scored scored = new TaskScorer().score("vqa", items, List.of("star", "star", "two"));
    // Per question 100, 0, 100: overall 66.67; shape (100 + 0) / 2 = 50 over 2; count 100 over 1.
    assertEquals(200.0 / 3, scored.score(), 1e-9);
    assertEquals(List.of("shape", "count"), List.copyOf(scored.breakdown().keySet()));
    assertEquals(50.0, scored.breakdown().get("shape").score(), 1e-9);
    assertEquals(2, scored.breakdown().get("shape").items());
    assertEquals(50.0, scored.breakdown().get("shape").se(), 1e-9);
    assertEquals(100.0, scored.breakdown().get("count").score(), 1e-9);
    // A set without question types has no breakdown.
    assertTrue(
        new TaskScorer()
            .score("vqa", List.of(vqa(nTimes("two"))), List.of("two"))
            .breakdown()
            .isEmpty());
  }

  private static List<String> nTimes(String answer) {
    return Collections.nCopies(10, answer);
  }

  @Test
  void theStandardErrorIsTheSampleSdOfPerItemScoresOverRootN() {
    // mean 75; squared deviations 625 + 5625 + 625 + 625 = 7500; / (4 - 1) = 2500; sd 50;
    // / sqrt(4) = 25.
    assertEquals(25.0, TaskScorer.standardError(new double[] {100, 0, 100, 100}), 1e-12);
    assertEquals(0.0, TaskScorer.standardError(new double[] {40, 40}));
    assertTrue(Double.isNaN(TaskScorer.standardError(new double[] {70})), "one item: no spread");
    assertTrue(Double.isNaN(TaskScorer.standardError(new double[0])));
  }

  @Test
  void vqaAccuracyHasItsStandardErrorOverQuestions() {
    TaskScorer scorer = new TaskScorer();
    List<String> mixed = new java.util.ArrayList<>(Collections.nCopies(7, "four"));
    mixed.addAll(Collections.nCopies(3, "three"));
    // Per question 100, 90 and 0: mean 63.33; squared deviations 1344.4 + 711.1 + 4011.1 =
    // 6066.7; / 2 = 3033.3; sd 55.076; / sqrt(3) = 31.798.
    TaskScorer.Scored scored =
        scorer.score(
            "vqa", List.of(vqa(mixed), vqa(mixed), vqa(mixed)), List.of("four", "three", "seven"));
    assertArrayEquals(new double[] {100, 90, 0}, scored.perItem(), 1e-9);
    assertEquals(63.333333, scored.score(), 1e-6);
    assertEquals(31.797973, scored.se(), 1e-6);
  }

  @Test
  void textCoreAndItsSubTasksHaveStandardErrorsOverTheirItems() {
    TaskScorer scorer = new TaskScorer();
    List<EvalItem> items =
        List.of(
            new EvalItem.TextTask("a", "count", "1+1?", "2"),
            new EvalItem.TextTask("b", "count", "1+2?", "3"),
            new EvalItem.TextTask("c", "colour", "sky?", "blue"),
            new EvalItem.TextTask("d", "count", "2+2?", "4"));
    TaskScorer.Scored scored = scorer.score("text-core", items, List.of("2", "9", "blue", "4"));
    // All: 100, 0, 100, 100: mean 75, SE 25 (as above).
    assertEquals(75.0, scored.score(), 1e-12);
    assertEquals(25.0, scored.se(), 1e-12);
    // count: 100, 0, 100: mean 66.67; sd sqrt((1111.1 + 4444.4 + 1111.1) / 2) = 57.735;
    // / sqrt(3) = 33.333.
    TaskScorer.SubScore count = scored.breakdown().get("count");
    assertEquals(66.666667, count.score(), 1e-6);
    assertEquals(33.333333, count.se(), 1e-6);
    assertEquals(3, count.items());
    assertTrue(Double.isNaN(scored.breakdown().get("colour").se()), "one item: unknown");
  }

  @Test
  void ciderDHasItsStandardErrorOverImages() {
    TaskScorer scorer = new TaskScorer();
    List<EvalItem> captions = EvalFixtures.captions("c", 4);
    List<String> answers = List.of("a red circle", "nothing at all", "a blue square", "");
    TaskScorer.Scored scored = scorer.score("caption", captions, answers);
    double[] perImage = scored.perItem();
    double mean = 0;
    for (double v : perImage) {
      mean += v / perImage.length;
    }
    double squares = 0;
    for (double v : perImage) {
      squares += (v - mean) * (v - mean);
    }
    assertEquals(mean, scored.score(), 1e-9, "the corpus score is the mean over images");
    assertEquals(Math.sqrt(squares / 3) / 2, scored.se(), 1e-9);
  }
}
