package org.mm1lab.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExactMatchTest {

  @Test
  void forgivesCaseOuterWhitespaceInnerSpacingAndTrailingPunctuation() {
    assertEquals(1.0, ExactMatch.score("  Paris. ", "paris"));
    assertEquals(1.0, ExactMatch.score("New   York!?", "new york"));
    assertEquals(1.0, ExactMatch.score("yes\n", "Yes"));
    assertEquals(1.0, ExactMatch.score("the answer is\t42 .", "The answer is 42"));
    assertEquals("new york", ExactMatch.normalize("  New \u00a0 York!? "));
  }

  @Test
  void keepsEverythingElse() {
    assertEquals(0.0, ExactMatch.score("Paris", "London"));
    // Inner punctuation matters: 3.5 is not 35.
    assertEquals(0.0, ExactMatch.score("3.5", "35"));
    // Only trailing punctuation goes; leading stays.
    assertEquals(0.0, ExactMatch.score("...yes", "yes"));
    // No article or number-word handling (that is VQA normalisation).
    assertEquals(0.0, ExactMatch.score("the cat", "cat"));
    assertEquals(0.0, ExactMatch.score("two", "2"));
    // Spaces are collapsed, not removed.
    assertEquals(0.0, ExactMatch.score("newyork", "new york"));
  }

  @Test
  void rejectsNull() {
    assertThrows(NullPointerException.class, () -> ExactMatch.score(null, "a"));
    assertThrows(NullPointerException.class, () -> ExactMatch.score("a", null));
  }
}
