package org.mm1lab.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VqaAccuracyTest {

  private static final double EPS = 1e-12;

  /** {@code matching} humans answer {@code answer}, the rest {@code other}. */
  private static List<String> humans(int matching, String answer, int total, String other) {
    List<String> list = new ArrayList<>(Collections.nCopies(matching, answer));
    list.addAll(Collections.nCopies(total - matching, other));
    return list;
  }

  @ParameterizedTest(name = "{0} of 10 humans agree -> {1}")
  @CsvSource({
    // k humans match. Leaving out a matching human leaves k - 1 matches, leaving out one of the
    // 10 - k others leaves k; score = (k * min(1, (k-1)/3) + (10-k) * min(1, k/3)) / 10.
    "0, 0.0", // (0 + 10 * 0) / 10
    "1, 0.3", // (1 * 0 + 9 * 1/3) / 10 = 3/10
    "2, 0.6", // (2 * 1/3 + 8 * 2/3) / 10 = (2/3 + 16/3) / 10 = 6/10
    "3, 0.9", // (3 * 2/3 + 7 * 1) / 10 = 9/10
    "4, 1.0", // (4 * 1 + 6 * 1) / 10
    "10, 1.0" // (10 * 1) / 10
  })
  void leaveOneOutAccuracyOverTenHumans(int matching, double expected) {
    assertEquals(expected, VqaAccuracy.score("red", humans(matching, "red", 10, "blue")), EPS);
  }

  @Test
  void otherNumbersOfHumansUseTheSameRule() {
    // 3 humans all "yes": leaving any one out leaves 2 matches -> min(1, 2/3) each; mean 2/3.
    assertEquals(2.0 / 3, VqaAccuracy.score("yes", List.of("yes", "yes", "yes")), EPS);
    // 5 humans, 4 agree: the 4 see 3 others (1), the dissenter sees 4 (1): 1.
    assertEquals(1.0, VqaAccuracy.score("yes", humans(4, "yes", 5, "no")), EPS);
  }

  @Test
  void officialNormalisationOfThePrediction() {
    assertEquals("2", VqaAccuracy.normalize("Two")); // number word, lower case
    assertEquals("0", VqaAccuracy.normalize("none"));
    assertEquals("10 dogs", VqaAccuracy.normalize("ten dogs"));
    assertEquals("dog", VqaAccuracy.normalize("the dog.")); // article, period not before a digit
    assertEquals("apple", VqaAccuracy.normalize("An Apple"));
    assertEquals("don't", VqaAccuracy.normalize("dont")); // contraction mended
    assertEquals("yes", VqaAccuracy.normalize("yes!")); // '!' -> ' ', then whitespace split
    assertEquals("yes", VqaAccuracy.normalize("  Yes\n"));
    assertEquals("yes", VqaAccuracy.normalize("(yes)"));
    // A comma between digits: every listed punctuation mark is deleted, not spaced.
    assertEquals("1000", VqaAccuracy.normalize("1,000"));
    assertEquals("3.5", VqaAccuracy.normalize("3.5")); // period before a digit kept
    assertEquals("5", VqaAccuracy.normalize("5."));
    // '-' touching no space becomes a space; next to a space it is deleted.
    assertEquals("t shirt", VqaAccuracy.normalize("t-shirt"));
    assertEquals("black white", VqaAccuracy.normalize("black - white"));
    assertEquals("red white", VqaAccuracy.normalize("red, white"));
    // Apostrophes and colons are not in the script's punctuation list.
    assertEquals("dog's", VqaAccuracy.normalize("dog's"));
    assertEquals("5:30", VqaAccuracy.normalize("5:30"));
    // Capitalised contraction keys ("Im") never match the lower-cased words.
    assertEquals("im", VqaAccuracy.normalize("Im"));
  }

  @Test
  void atMostThirtyTwoPeriodsAreDeletedAsTheScriptPassesReUnicodeAsCount() {
    assertEquals("x" + ".".repeat(8), VqaAccuracy.normalize("x" + ".".repeat(40)));
  }

  @Test
  void predictionIsNormalisedBeforeMatching() {
    // "Two" -> "2" matches 3 of 10 humans: 0.9 (see the table above).
    assertEquals(0.9, VqaAccuracy.score("Two", humans(3, "2", 10, "3")), EPS);
    assertEquals(1.0, VqaAccuracy.score("The dog.", humans(10, "dog", 10, "dog")), EPS);
  }

  @Test
  void humanAnswersGetThePunctuationStepOnlyWhenTheyDisagree() {
    // Not all identical: "1,000" -> "1000" on the human side too; 3 matches -> 0.9.
    assertEquals(0.9, VqaAccuracy.score("1,000", humans(3, "1,000", 10, "10")), EPS);
    // All identical: left as "1,000", which the prediction (now "1000") never equals.
    assertEquals(0.0, VqaAccuracy.score("1,000", humans(10, "1,000", 10, "1,000")), EPS);
  }

  @Test
  void humanAnswersAreNotLowerCasedOrStripped() {
    // The script trusts the annotations to be normalised already.
    assertEquals(0.0, VqaAccuracy.score("yes", humans(10, "Yes", 10, "Yes")), EPS);
    assertEquals(1.0, VqaAccuracy.score("Yes", humans(4, "yes", 10, "no")), EPS);
    // "yes!" -> "yes " (the '!' becomes a space, nothing strips it) != "yes".
    assertEquals(0.0, VqaAccuracy.score("yes", humans(4, "yes!", 10, "no")), EPS);
  }

  @Test
  void rejectsNoHumans() {
    assertThrows(IllegalArgumentException.class, () -> VqaAccuracy.score("yes", List.of()));
    assertThrows(NullPointerException.class, () -> VqaAccuracy.score(null, List.of("yes")));
  }
}
