package org.mm1lab.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CIDEr-D against values worked out by hand from cider_scorer.py's formulas. Notation: N images, L
 * = log N; an n-gram's weight is count * (L - log(max(1, df))), so an n-gram found in the
 * references of exactly one image, or of none, weighs L; per order the similarity is sum(min(w_c,
 * w_r) * w_r) / (|c| |r|); the image score is 10 * mean over 4 orders of the mean over references,
 * times exp(-delta^2 / 72) where delta is the difference of the bigram counts.
 */
class CiderDTest {

  private static final double EPS = 1e-12;

  /** A second image whose words appear nowhere else, so that N = 2 and L = log 2 > 0. */
  private static final String OTHER = "two birds fly high";

  private static double scoreFirst(String candidate, List<String> references) {
    return CiderD.score(List.of(candidate, OTHER), List.of(references, List.of(OTHER)))
        .perItem()[0];
  }

  @Test
  void candidateEqualToItsOnlyReferenceInDisjointTwoImageCorpusScoresTen() {
    // N = 2, L = log 2 = 0.693. Every reference n-gram occurs for one image only: df = 1, weight
    // 1 * (log 2 - log 1) = L. Candidate and reference vectors are equal:
    //   unigrams (dog, runs, on, grass) = (L, L, L, L), norm 2L;
    //   numerator sum min(L, L) * L = 4L^2; cosine 4L^2 / (2L * 2L) = 1.
    // Likewise 3 bigrams: 3L^2 / (sqrt(3)L)^2 = 1; 2 trigrams: 1; 1 four-gram: 1.
    // delta = 3 - 3 bigrams = 0, penalty 1. Score = 10 * (1 + 1 + 1 + 1) / 4 = 10.
    CiderD.Scores scores =
        CiderD.score(
            List.of("dog runs on grass", OTHER),
            List.of(List.of("dog runs on grass"), List.of(OTHER)));
    assertArrayEquals(new double[] {10.0, 10.0}, scores.perItem(), EPS);
    assertEquals(10.0, scores.mean(), EPS);
  }

  @Test
  void threeWordCaptionHasNoFourGramsSoEvenAnExactCopyScoresSevenAndAHalf() {
    // Orders 1-3 give cosine 1 as above; neither text has a 4-gram, both norms are 0, the order
    // contributes 0. Score = 10 * (1 + 1 + 1 + 0) / 4 = 7.5.
    assertEquals(7.5, scoreFirst("dog runs fast", List.of("dog runs fast")), EPS);
  }

  @Test
  void handComputedTfIdfWhereAWordSharedByAllImagesWeighsNothing() {
    // N = 3, L = log 3. "a" is in every image's references: df 3, weight L - log 3 = 0.
    // Image 1, candidate "a dog sleeps" vs reference "a dog runs":
    //   unigrams: cand (a 0, dog L, sleeps L [df 1, from image 2]), norm sqrt(2)L;
    //             ref (a 0, dog L, runs L), norm sqrt(2)L; numerator: dog L*L = L^2
    //             (sleeps: min(L, 0) * 0 = 0) -> L^2 / 2L^2 = 0.5
    //   bigrams: cand ("a dog" L, "dog sleeps" L [df 0 -> log max(1,0) = 0]), ref ("a dog" L,
    //            "dog runs" L): L^2 / 2L^2 = 0.5
    //   trigrams: "a dog sleeps" vs "a dog runs": nothing shared, 0; four-grams: none, 0.
    //   delta = 2 - 2 = 0. Score = 10 * (0.5 + 0.5 + 0 + 0) / 4 = 2.5.
    // Images 2 and 3 copy their three-word reference: 7.5 each (orders 1-3 cosine 1; the zero
    // weight of "a" is on both sides). Mean (2.5 + 7.5 + 7.5) / 3 = 17.5 / 3.
    List<List<String>> refs =
        List.of(List.of("a dog runs"), List.of("a cat sleeps"), List.of("a bird flies"));
    CiderD.Scores scores =
        CiderD.score(List.of("a dog sleeps", "a cat sleeps", "a bird flies"), refs);
    assertArrayEquals(new double[] {2.5, 7.5, 7.5}, scores.perItem(), EPS);
    assertEquals(17.5 / 3, scores.mean(), EPS);

    // The shared word alone: its only weight is 0, the candidate norm is 0, no division, 0.
    double common = CiderD.score(List.of("a", "a cat sleeps", "a bird flies"), refs).perItem()[0];
    assertEquals(0.0, common, EPS);
    // A distinctive word alone: unigram L^2 / (L * sqrt(2)L) = 1/sqrt(2); orders 2-4 empty;
    // delta = 0 - 2 bigrams -> penalty exp(-4/72). Score = 10 * (1/sqrt(2)) / 4 * exp(-1/18).
    double distinctive =
        CiderD.score(List.of("dog", "a cat sleeps", "a bird flies"), refs).perItem()[0];
    assertEquals(10 * (1 / Math.sqrt(2)) / 4 * Math.exp(-1.0 / 18), distinctive, EPS);
  }

  @Test
  void gaussianLengthPenaltyScalesEveryOrder() {
    // Candidate adds "quickly today" (df 0, weight L) to the 4-word reference.
    //   unigrams: 4 shared of 6: 4L^2 / (sqrt(6)L * 2L) = 2/sqrt(6)
    //   bigrams: 3 shared of 5: 3L^2 / (sqrt(5)L * sqrt(3)L) = sqrt(3/5)
    //   trigrams: 2 shared of 4: 2L^2 / (2L * sqrt(2)L) = 1/sqrt(2)
    //   four-grams: 1 shared of 3: L^2 / (sqrt(3)L * L) = 1/sqrt(3)
    //   delta = 5 - 3 bigrams = 2, penalty exp(-2^2 / (2 * 6^2)) = exp(-4/72).
    double cosines = 2 / Math.sqrt(6) + Math.sqrt(3.0 / 5) + 1 / Math.sqrt(2) + 1 / Math.sqrt(3);
    double expected = 10 * Math.exp(-4.0 / 72) * cosines / 4;
    assertEquals(
        expected, scoreFirst("dog runs on grass quickly today", List.of("dog runs on grass")), EPS);
    // The penalty is really applied: without it the score would be 10 * cosines / 4 (~7.19).
    assertTrue(expected < 10 * cosines / 4 - 0.3);
  }

  @Test
  void repeatingAWordIsClippedAndDoesNotRaiseTheScore() {
    // "dog dog dog dog" vs "dog runs on grass": unigram cand (dog 4L), norm 4L; ref norm 2L;
    // clipped numerator min(4L, L) * L = L^2 -> L^2 / 8L^2 = 1/8 (unclipped it would be
    // 4L^2 / 8L^2 = 1/2). Bigram "dog dog" etc. are not in the reference: 0. delta = 3 - 3 = 0.
    // Score = 10 * (1/8) / 4 = 0.3125.
    double repeated = scoreFirst("dog dog dog dog", List.of("dog runs on grass"));
    assertEquals(0.3125, repeated, EPS);
    // "dog" once: unigram L^2 / (L * 2L) = 1/2, delta = 0 - 3, penalty exp(-9/72):
    // 10 * (1/2) / 4 * exp(-1/8) = 1.103. Saying "dog" four times scores less than once.
    double once = scoreFirst("dog", List.of("dog runs on grass"));
    assertEquals(1.25 * Math.exp(-1.0 / 8), once, EPS);
    assertTrue(repeated < once);
  }

  @Test
  void doublingTheReferenceIsClippedToHalfTheUnigramSimilarity() {
    // Candidate "dog runs on grass dog runs on grass" vs "dog runs on grass". Without clipping
    // the unigram vectors are parallel (cosine 1); with it:
    //   unigrams: cand 2L each, norm 4L; numerator 4 * min(2L, L) * L = 4L^2; 4L^2 / 8L^2 = 1/2
    //   bigrams: dog runs, runs on, on grass x2 (2L) + grass dog (L): norm sqrt(13)L;
    //            numerator 3L^2; / (sqrt(13)L * sqrt(3)L) = 3/sqrt(39)
    //   trigrams: two x2, two x1: norm sqrt(10)L; 2L^2 / (sqrt(10)L * sqrt(2)L) = 1/sqrt(5)
    //   four-grams: one x2, three x1: norm sqrt(7)L; L^2 / (sqrt(7)L * L) = 1/sqrt(7)
    //   delta = 7 - 3 = 4, penalty exp(-16/72).
    double expected =
        10
            * Math.exp(-16.0 / 72)
            * (0.5 + 3 / Math.sqrt(39) + 1 / Math.sqrt(5) + 1 / Math.sqrt(7))
            / 4;
    assertEquals(
        expected,
        scoreFirst("dog runs on grass dog runs on grass", List.of("dog runs on grass")),
        EPS);
  }

  @Test
  void multipleReferencesAreAveraged() {
    // Image 1 has two references; df counts each n-gram once per image ("on" is in both: df 1).
    // vs "dog runs on grass": cosine 1 in every order (as in the first test).
    // vs "cat sleeps on sofa": unigrams share "on": L^2 / (2L * 2L) = 1/4; higher orders 0.
    // delta = 3 - 3 = 0 for both. Per-order sums: (1.25, 1, 1, 1), mean 4.25 / 4 = 1.0625,
    // divided by 2 references = 0.53125, times 10 = 5.3125.
    List<String> refs = List.of("dog runs on grass", "cat sleeps on sofa");
    assertEquals(5.3125, scoreFirst("dog runs on grass", refs), EPS);
    // Symmetric: copying the other reference scores the same.
    assertEquals(5.3125, scoreFirst("cat sleeps on sofa", refs), EPS);
    // And the order of the references does not matter.
    assertEquals(5.3125, scoreFirst("dog runs on grass", List.of(refs.get(1), refs.get(0))), EPS);
  }

  @Test
  void emptyOrPunctuationOnlyCandidateScoresZeroNotNan() {
    // No n-grams: the candidate norm is 0, the division is skipped, every order is 0.
    CiderD.Scores scores =
        CiderD.score(
            List.of("", " ... !", OTHER),
            List.of(List.of("dog runs on grass"), List.of("cat sleeps"), List.of(OTHER)));
    assertEquals(0.0, scores.perItem()[0]);
    assertEquals(0.0, scores.perItem()[1]);
    assertEquals(10.0, scores.perItem()[2], EPS);
    assertEquals(10.0 / 3, scores.mean(), EPS);
  }

  @Test
  void singleImageCorpusScoresZeroEvenForAnExactCopy() {
    // N = 1: L = log 1 = 0 and every reference n-gram has df = 1, so every weight is 0.
    CiderD.Scores scores =
        CiderD.score(
            List.of("a dog runs on the grass"), List.of(List.of("a dog runs on the grass")));
    assertEquals(0.0, scores.mean());
    assertArrayEquals(new double[] {0.0}, scores.perItem());
  }

  @Test
  void exactCopyOfAReferenceBeatsPartialOverlapWhichBeatsUnrelatedText() {
    List<List<String>> refs =
        List.of(
            List.of("a man rides a wave on a surfboard", "a surfer riding a big wave"),
            List.of("a plate of food with broccoli", "a dish with rice and broccoli"),
            List.of("a red bus parked on the street", "a double decker bus on a city street"));
    String partial = "a man on a surfboard in the water";
    double exact = score(refs, "a man rides a wave on a surfboard");
    double overlap = score(refs, partial);
    double unrelated = score(refs, "green tennis racket");
    assertTrue(exact > overlap, exact + " > " + overlap);
    assertTrue(overlap > unrelated, overlap + " > " + unrelated);
    // "green tennis racket" shares no n-gram with the references: every numerator is 0.
    assertEquals(0.0, unrelated);
  }

  private static double score(List<List<String>> refs, String firstCandidate) {
    return CiderD.score(List.of(firstCandidate, "a plate of food", "a bus"), refs).perItem()[0];
  }

  @Test
  void caseAndPunctuationAreTokenisedAway() {
    List<String> refs = List.of("A dog runs on the grass.");
    double raw = scoreFirst("a dog runs on the grass", refs);
    assertEquals(raw, scoreFirst("A DOG runs, on the grass!", refs), EPS);
    // Six words, every n-gram shared: an exact copy after tokenisation.
    assertEquals(10.0, raw, EPS);
  }

  @Test
  void perItemScoresFollowInputOrderAndMeanIsTheirAverage() {
    List<String> candidates = List.of("dog runs fast", "a cat", OTHER);
    List<List<String>> refs =
        List.of(List.of("dog runs fast"), List.of("a cat sleeps on a sofa"), List.of(OTHER));
    CiderD.Scores forward = CiderD.score(candidates, refs);
    CiderD.Scores reversed =
        CiderD.score(
            List.of(candidates.get(2), candidates.get(1), candidates.get(0)),
            List.of(refs.get(2), refs.get(1), refs.get(0)));
    double[] f = forward.perItem();
    double[] r = reversed.perItem();
    assertEquals(7.5, f[0], EPS);
    assertEquals(10.0, f[2], EPS);
    assertNotEquals(f[0], f[1]);
    assertArrayEquals(new double[] {f[2], f[1], f[0]}, r, EPS);
    assertEquals((f[0] + f[1] + f[2]) / 3, forward.mean(), EPS);
  }

  @Test
  void scoresRecordIsImmutable() {
    double[] values = {1.0, 2.0};
    CiderD.Scores scores = new CiderD.Scores(1.5, values);
    values[0] = 99;
    scores.perItem()[1] = 99;
    assertArrayEquals(new double[] {1.0, 2.0}, scores.perItem());
    assertEquals(new CiderD.Scores(1.5, new double[] {1.0, 2.0}), scores);
  }

  @Test
  void rejectsMalformedInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> CiderD.score(List.of("a", "b"), List.of(List.of("a"))));
    assertThrows(IllegalArgumentException.class, () -> CiderD.score(List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> CiderD.score(List.of("a", "b"), List.of(List.of("a"), List.of())));
  }
}
