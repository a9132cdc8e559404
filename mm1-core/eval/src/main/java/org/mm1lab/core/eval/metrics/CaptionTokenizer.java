package org.mm1lab.core.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Splits a caption into the lower-cased word tokens that {@link CiderD} counts n-grams over.
 *
 * <p>coco-caption runs the Stanford CoreNLP PTB tokenizer ({@code -lowerCase}) and then deletes the
 * punctuation tokens {@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}. Shipping
 * CoreNLP for that is out of proportion, so this class approximates the cases that occur in
 * captions, in this order:
 *
 * <ol>
 *   <li>The text is lower-cased ({@link Locale#ROOT}) and typographic apostrophes ({@code ’ ‘ ʼ})
 *       become {@code '}.
 *   <li>A token is a run of letters, digits and combining marks. A {@code .}, {@code ,} or {@code
 *       -} between two such characters stays inside the token, as PTB keeps {@code 3.5}, {@code
 *       1,000} and {@code t-shirt} whole.
 *   <li>Clitics are split off as PTB does: {@code dog's} gives {@code dog 's}, {@code isn't} gives
 *       {@code is n't} ({@code 's 're 've 'll 'd 'm n't}). Any other apostrophe between letters
 *       stays inside the word ({@code o'clock}).
 *   <li>Whitespace and punctuation end a token and are dropped: dashes, brackets, quotes (Unicode
 *       categories Pd, Ps, Pe, Pi, Pf) and {@code . ? ! , : ; ' " ` …}, the set coco-caption
 *       deletes.
 *   <li>Any other character (a symbol such as {@code $ % & + #}) becomes a one-character token, as
 *       PTB splits them off but keeps them.
 * </ol>
 *
 * <p>Known differences from CoreNLP (rare in captions): no special cases for abbreviations ({@code
 * u.s.} gives {@code u.s}), for {@code cannot} or for URLs. Because references and candidates go
 * through the same function, these differences shift absolute CIDEr-D values only in such rare
 * texts.
 */
public final class CaptionTokenizer {

  /** Clitics that PTB splits off a word together with their leading apostrophe. */
  private static final Set<String> APOSTROPHE_CLITICS = Set.of("s", "re", "ve", "ll", "d", "m");

  /** ASCII punctuation in coco-caption's deleted set that no Unicode category test covers. */
  private static final String DROPPED_OTHER = ".?!,:;'\"`\u2026";

  private CaptionTokenizer() {}

  /**
   * The tokens of {@code text}, lower-cased and without punctuation; empty for blank text.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    int[] cps =
        text.toLowerCase(Locale.ROOT)
            .replace('\u2019', '\'')
            .replace('\u2018', '\'')
            .replace('\u02bc', '\'')
            .codePoints()
            .toArray();
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean afterWord = current.length() > 0 && i > 0 && isWordChar(cps[i - 1]);
      boolean beforeWord = i + 1 < cps.length && isWordChar(cps[i + 1]);
      if (isWordChar(c)) {
        current.appendCodePoint(c);
      } else if ((c == '.' || c == ',' || c == '-') && afterWord && beforeWord) {
        current.appendCodePoint(c);
      } else if (c == '\'' && afterWord && beforeWord) {
        splitAtApostrophe(cps, i, current, tokens);
      } else {
        flush(current, tokens);
        if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && !isDropped(c)) {
          tokens.add(new String(Character.toChars(c)));
        }
      }
    }
    flush(current, tokens);
    return tokens;
  }

  /**
   * Handles an apostrophe inside a word at {@code cps[at]}: starts a clitic token ({@code 's},
   * {@code n't}) or keeps the apostrophe inside the word.
   */
  private static void splitAtApostrophe(
      int[] cps, int at, StringBuilder current, List<String> tokens) {
    int end = at + 1;
    while (end < cps.length && isWordChar(cps[end])) {
      end++;
    }
    String suffix = new String(cps, at + 1, end - at - 1);
    int last = current.length() - 1;
    if (APOSTROPHE_CLITICS.contains(suffix)) {
      flush(current, tokens);
      current.append('\'');
    } else if (suffix.equals("t") && last > 0 && current.charAt(last) == 'n') {
      // PTB's "n't": "isn't" -> "is" "n't", "can't" -> "ca" "n't".
      current.setLength(last);
      flush(current, tokens);
      current.append("n'");
    } else {
      current.append('\'');
    }
  }

  private static void flush(StringBuilder current, List<String> tokens) {
    if (current.length() > 0) {
      tokens.add(current.toString());
      current.setLength(0);
    }
  }

  private static boolean isWordChar(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    // Combining marks belong to the letter before them (decomposed accents).
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static boolean isDropped(int cp) {
    return switch (Character.getType(cp)) {
      case Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION ->
          true;
      default -> DROPPED_OTHER.indexOf(cp) >= 0;
    };
  }
}
