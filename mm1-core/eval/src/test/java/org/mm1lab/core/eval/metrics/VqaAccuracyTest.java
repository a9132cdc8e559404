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
  void onlyAsciiDigitsKeepAPeriodAsInThePython2Script() {
    // Without re.UNICODE, Python 2's \\d is [0-9]: the period before an Arabic-Indic three goes.
    assertEquals("x\u0663", VqaAccuracy.normalize("x.\u0663"));
  }

  // The cases below follow vqaEval.py on master (after "Fixed processing answers bug"): when the
  // ten answers are not all the same, prediction and human answers are both normalised; the
  // scores come from the leave-one-out table above.

  @Test
  void digitsMatchAnnotatorsWhoWroteNumberWordsAndTheOtherWayRound() {
    // Humans "two" -> "2": 3 of 10 match -> 0.9.
    assertEquals(0.9, VqaAccuracy.score("2", humans(3, "two", 10, "three")), EPS);
    assertEquals(0.9, VqaAccuracy.score("Two", humans(3, "2", 10, "3")), EPS);
  }

  @Test
  void articlesAreDroppedOnBothSides() {
    // Humans "a dog" -> "dog": 4 match -> 1.0.
    assertEquals(1.0, VqaAccuracy.score("dog", humans(4, "a dog", 10, "cat")), EPS);
    // Prediction "the dog" -> "dog": 2 match -> 0.6.
    assertEquals(0.6, VqaAccuracy.score("the dog", humans(2, "dog", 10, "cat")), EPS);
  }

  @Test
  void contractionsAreMendedOnBothSides() {
    // "dont" -> "don't" on whichever side wrote it: 3 match -> 0.9.
    assertEquals(0.9, VqaAccuracy.score("dont", humans(3, "don't", 10, "no")), EPS);
    assertEquals(0.9, VqaAccuracy.score("don't", humans(3, "dont", 10, "no")), EPS);
  }

  @Test
  void punctuationAndCaseAreNormalisedOnBothSides() {
    // Human "yes!" -> "yes " -> "yes": 4 match -> 1.0.
    assertEquals(1.0, VqaAccuracy.score("yes", humans(4, "yes!", 10, "no")), EPS);
    // "t-shirt" -> "t shirt" (no space next to the hyphen): 3 match -> 0.9.
    assertEquals(0.9, VqaAccuracy.score("t-shirt", humans(3, "t shirt", 10, "shirt")), EPS);
    // "1,000" -> "1000" (comma between digits) on both sides: 3 match -> 0.9.
    assertEquals(0.9, VqaAccuracy.score("1,000", humans(3, "1000", 10, "10")), EPS);
    assertEquals(0.9, VqaAccuracy.score("1,000", humans(3, "1,000", 10, "10")), EPS);
    // Human "Yes" is lower-cased: 4 match -> 1.0.
    assertEquals(1.0, VqaAccuracy.score("yes", humans(4, "Yes", 10, "no")), EPS);
  }

  @Test
  void unanimousAnswersAreComparedWithoutNormalisation() {
    // All ten identical: the script skips both normalisations and compares the stripped strings.
    assertEquals(0.0, VqaAccuracy.score("two", humans(10, "2", 10, "2")), EPS);
    assertEquals(0.0, VqaAccuracy.score("Yes", humans(10, "yes", 10, "yes")), EPS);
    assertEquals(0.0, VqaAccuracy.score("yes.", humans(10, "yes", 10, "yes")), EPS);
    assertEquals(0.0, VqaAccuracy.score("The dog.", humans(10, "dog", 10, "dog")), EPS);
    assertEquals(0.0, VqaAccuracy.score("1000", humans(10, "1,000", 10, "1,000")), EPS);
    assertEquals(1.0, VqaAccuracy.score("1,000", humans(10, "1,000", 10, "1,000")), EPS);
    // Newlines, tabs and surrounding whitespace are still removed on both sides.
    assertEquals(1.0, VqaAccuracy.score(" yes\n", humans(10, "yes", 10, "yes")), EPS);
    // Identity is judged after stripping: "yes " is "yes", so this is unanimous too.
    assertEquals(0.0, VqaAccuracy.score("Yes", humans(9, "yes", 10, "yes ")), EPS);
    // One capitalised answer makes them differ, and then everything is normalised.
    assertEquals(1.0, VqaAccuracy.score("YES", humans(9, "yes", 10, "Yes")), EPS);
  }

  @Test
  void rejectsNoHumans() {
    assertThrows(IllegalArgumentException.class, () -> VqaAccuracy.score("yes", List.of()));
    assertThrows(NullPointerException.class, () -> VqaAccuracy.score(null, List.of("yes")));
  }
}
