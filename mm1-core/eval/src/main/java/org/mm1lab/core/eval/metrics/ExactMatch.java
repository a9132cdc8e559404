package org.mm1lab.core.eval.metrics;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Exact match after light normalisation (lower case, trim, collapse whitespace, strip trailing
 * punctuation), for the text-only tasks.
 *
 * <p>The normalisation is deliberately light: it forgives the formatting a generated answer adds
 * around the expected one ({@code "Paris."} for {@code "paris"}, a trailing newline, doubled
 * spaces) and nothing else. Leading and inner punctuation are kept, so {@code "3.5"} and {@code
 * "35"} stay different, and no articles or number words are touched (that is {@link VqaAccuracy}'s
 * business).
 */
public final class ExactMatch {

  /** Runs of whitespace, including the Unicode no-break spaces. */
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");

  private ExactMatch() {}

  /**
   * 1.0 if {@code answer} and {@code expected} are equal after {@link #normalize}, else 0.0.
   *
   * @throws NullPointerException if either argument is null
   */
  public static double score(String answer, String expected) {
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(expected, "expected");
    return normalize(answer).equals(normalize(expected)) ? 1.0 : 0.0;
  }

  /**
   * The compared form of {@code text}: lower case ({@link Locale#ROOT}), every whitespace run
   * collapsed to one space, and trailing punctuation (any Unicode punctuation character, so also
   * closing brackets and quotes) and whitespace removed from the end, leading whitespace from the
   * start. {@code "New York!?"} with a tab between the words and a trailing newline becomes {@code
   * "new york"}.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static String normalize(String text) {
    String collapsed = WHITESPACE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    int end = collapsed.length();
    while (end > 0) {
      int cp = collapsed.codePointBefore(end);
      if (!isPunctuation(cp) && cp != ' ') {
        break;
      }
      end -= Character.charCount(cp);
    }
    return collapsed.substring(0, end);
  }

  private static boolean isPunctuation(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }
}
