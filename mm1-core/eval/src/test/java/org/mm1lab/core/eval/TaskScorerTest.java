package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;

/** VQA scoring of raw human answers, as the synthetic world and many sets have them. */
class TaskScorerTest {

  private static EvalItem vqa(List<String> humans) {
    return new EvalItem.Vqa(
        "q",
        ImageSource.of(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)),
        "how many?",
        humans);
  }

  @Test
  void numberWordsMatchHumansWhoWroteThemAsWords() {
    TaskScorer scorer = new TaskScorer();
    // Ten humans wrote "two"; the official normalisation turns the prediction "two" into "2", so
    // the humans' answers must be normalised alike: 10 matches -> accuracy 1 -> 100.
    EvalItem item = vqa(Collections.nCopies(10, "two"));
    assertEquals(100.0, scorer.score("vqa", List.of(item), List.of("two")).score(), 1e-9);
    // Three of ten humans wrote "Three" (capitalised): each leave-one-out subset of 9 holds 3 or 2
    // matches: (7 * 1 + 3 * 2/3) / 10 = 0.9 -> 90.
    List<String> mixed = new java.util.ArrayList<>(Collections.nCopies(7, "four"));
    mixed.addAll(Collections.nCopies(3, "Three"));
    assertEquals(90.0, scorer.score("vqa", List.of(vqa(mixed)), List.of("three")).score(), 1e-9);
  }
}
