package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

  @Test
  void repeatedAnswersAreCountedMostFrequentFirst() {
    assertEquals(
        List.of("circle \u00d77", "oval \u00d72", "disc"),
        Answers.counted(
            List.of(
                "oval", "circle", "circle", "disc", "circle", "circle", "oval", "circle", "circle",
                "circle")));
  }

  @Test
  void distinctAnswersAreLeftForAList() {
    assertEquals(List.of(), Answers.counted(List.of("a red circle", "one red disc")));
  }

  @Test
  void accuraciesGetAVerdictAndOtherMetricsOnlyTheirScore() {
    assertArrayEquals(
        new String[] {"right", "\u2713 right (VQA accuracy 100.0)"},
        Answers.mark("VQA accuracy", 100));
    assertArrayEquals(
        new String[] {"wrong", "\u2717 wrong (exact match 0.0)"}, Answers.mark("exact match", 0));
    assertArrayEquals(
        new String[] {"partly", "\u25d0 partly right (VQA accuracy 66.7)"},
        Answers.mark("VQA accuracy", 200.0 / 3));
    assertArrayEquals(new String[] {"scored", "CIDEr-D 85.3"}, Answers.mark("CIDEr-D", 85.3));
    assertNull(Answers.mark("", Double.NaN), "no score recorded");
  }
}
