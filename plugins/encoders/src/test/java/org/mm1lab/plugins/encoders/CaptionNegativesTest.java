package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Token ids: 1 a, 2 red, 3 blue, 4 circle, 5 star, 6 left, 7 right, 8 and 9 end tokens. */
class CaptionNegativesTest {

  private static final int[] RED_CIRCLE_LEFT = {1, 2, 4, 6, 9};
  private static final int[] RED_STAR_LEFT = {1, 2, 5, 6, 9};
  private static final int[] BLUE_CIRCLE_RIGHT = {1, 3, 4, 7, 9};

  private static List<String> build(int perCaption, int[]... captions) {
    return CaptionNegatives.build(List.of(captions), perCaption, new SplittableRandom(3)).stream()
        .map(Arrays::toString)
        .toList();
  }

  @Test
  void makesEveryEditWhoseBothBigramsTheBatchAttests() {
    List<String> got = build(10, RED_CIRCLE_LEFT, RED_STAR_LEFT, BLUE_CIRCLE_RIGHT);
    // red circle left: red -> blue ('a blue', 'blue circle'); left -> right ('circle right',
    // 'right end'); circle -> star gives red star left, a caption of the batch: not made.
    // red star left: star -> circle gives red circle left (a caption); red -> blue needs
    // 'blue star' and left -> right needs 'star right': neither is attested.
    // blue circle right: blue -> red ('a red', 'red circle'); right -> left ('circle left').
    assertEquals(
        List.of("[1, 2, 4, 7, 9]", "[1, 3, 4, 6, 9]"), got.stream().distinct().sorted().toList());
    assertEquals(4, got.size());
  }

  @Test
  void aCaptionAloneOrCaptionsSharingNoContextGiveNone() {
    assertTrue(build(10, RED_CIRCLE_LEFT).isEmpty());
    assertTrue(build(10, RED_CIRCLE_LEFT, new int[] {1, 3, 5, 7, 9}).isEmpty());
  }

  @Test
  void neverProducesACaptionOfTheBatch() {
    // every single-token edit of each of these four captions is one of the four
    int[] blueStarRight = {1, 3, 5, 7, 9};
    int[] redStarRight = {1, 2, 5, 7, 9};
    int[] blueCircleLeft = {1, 3, 4, 6, 9};
    assertTrue(build(10, RED_CIRCLE_LEFT, blueStarRight, redStarRight, blueCircleLeft).isEmpty());
  }

  @Test
  void keepsTheEndTokenMakesAtMostTheNumberAskedAndRepeatsWithTheSameStream() {
    int[] other = {1, 3, 4, 7, 8};
    List<int[]> one =
        CaptionNegatives.build(
            List.of(RED_CIRCLE_LEFT, RED_STAR_LEFT, other), 1, new SplittableRandom(5));
    assertTrue(one.size() <= 3 && !one.isEmpty());
    List<int[]> all =
        CaptionNegatives.build(
            List.of(RED_CIRCLE_LEFT, RED_STAR_LEFT, other), 50, new SplittableRandom(5));
    for (int[] negative : all) {
      assertTrue(negative[4] == 9 || negative[4] == 8, Arrays.toString(negative));
    }
    List<int[]> again =
        CaptionNegatives.build(
            List.of(RED_CIRCLE_LEFT, RED_STAR_LEFT, other), 50, new SplittableRandom(5));
    assertEquals(all.size(), again.size());
    for (int i = 0; i < all.size(); i++) {
      assertArrayEquals(all.get(i), again.get(i));
    }
  }
}
