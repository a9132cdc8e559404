package org.mm1lab.plugins.encoders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hard negative captions for contrastive pretraining: a batch's caption with one token replaced by
 * another token that the batch's own captions show between the same two neighbours ({@code a large
 * red circle at} becomes {@code a large red star at} when another caption has {@code red star} and
 * {@code star at}).
 *
 * <p>Why: in a batch of unrelated images the caption of an image can be told from the others by its
 * most salient words alone (its colours, its number of things), so CLIP's loss is met without the
 * encoder keeping anything else; a caption that differs from the true one in a single word can only
 * be rejected by an encoder that sees what that word names. This is the minimal-edit hard negative
 * of NegCLIP (Yuksekgonul et al., 2023, "When and why vision-language models behave like
 * bags-of-words"), made language-agnostic: the substitute is chosen from the token bigrams the
 * batch attests, so it needs no word lists and the negative reads as fluently as the captions do.
 *
 * <p>The last real token of each caption (the end token the host appends) is never replaced. A
 * negative identical to any caption of the batch is not produced (it would be a true caption).
 */
final class CaptionNegatives {

  /** The left neighbour of a caption's first token. */
  private static final int START = -1;

  private CaptionNegatives() {}

  /**
   * Up to {@code perCaption} negatives of every caption, each with a different single-token edit.
   *
   * @param captions token ids of each caption, without padding, the end token last
   * @param perCaption negatives wanted per caption
   * @param rng chooses the edits
   * @return the negatives, caption by caption (fewer where a caption allows fewer edits)
   */
  static List<int[]> build(List<int[]> captions, int perCaption, SplittableRandom rng) {
    Map<Integer, Set<Integer>> followers = new HashMap<>();
    Set<Long> bigrams = new HashSet<>();
    Set<List<Integer>> originals = new HashSet<>();
    for (int[] caption : captions) {
      int left = START;
      for (int token : caption) {
        followers.computeIfAbsent(left, k -> new LinkedHashSet<>()).add(token);
        bigrams.add(bigram(left, token));
        left = token;
      }
      originals.add(asList(caption));
    }
    List<int[]> negatives = new ArrayList<>();
    for (int[] caption : captions) {
      List<int[]> edits = new ArrayList<>(); // {position, substitute}
      for (int i = 0; i + 1 < caption.length; i++) {
        int left = i == 0 ? START : caption[i - 1];
        for (int substitute : followers.getOrDefault(left, Set.of())) {
          if (substitute != caption[i] && bigrams.contains(bigram(substitute, caption[i + 1]))) {
            edits.add(new int[] {i, substitute});
          }
        }
      }
      int made = 0;
      while (made < perCaption && !edits.isEmpty()) {
        int[] edit = edits.remove(rng.nextInt(edits.size()));
        int[] negative = Arrays.copyOf(caption, caption.length);
        negative[edit[0]] = edit[1];
        if (!originals.contains(asList(negative))) {
          negatives.add(negative);
          made++;
        }
      }
    }
    return negatives;
  }

  private static long bigram(int left, int right) {
    return ((long) left << 32) ^ (right & 0xffffffffL);
  }

  private static List<Integer> asList(int[] tokens) {
    return Arrays.stream(tokens).boxed().toList();
  }
}
