package org.mm1lab.core.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a text that a model's tokenizer does not hold: those it reads (in part) as its
 * unknown token, and, for a tokenizer that spells what it does not know ({@link
 * Tokenizer#spellsUnknownWords()}), those it spells letter by letter. A question with such words
 * asks the model about something it never saw as a word, which its user should be told.
 *
 * @param unknown the words (as written, each once, in order) read in part or whole as the unknown
 *     token
 * @param spelled the words (lower-cased, each once, in order) outside the vocabulary that the
 *     tokenizer spells
 */
public record UnknownWords(List<String> unknown, List<String> spelled) {

  /** A run of letters and digits: what a spelling tokenizer maps to one id or spells. */
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  public UnknownWords {
    unknown = List.copyOf(unknown);
    spelled = List.copyOf(spelled);
  }

  /**
   * Finds the words of {@code text} that {@code tokenizer} does not hold.
   *
   * @param tokenizer the model's tokenizer
   * @param text words separated by white space, punctuation and all
   */
  public static UnknownWords in(Tokenizer tokenizer, String text) {
    int unknownId = tokenizer.unknownId();
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> spelled = new LinkedHashSet<>();
    for (String chunk : text.strip().split("\\s+")) {
      if (chunk.isEmpty()) {
        continue;
      }
      if (unknownId >= 0 && contains(tokenizer.encode(chunk), unknownId)) {
        unknown.add(trimmed(chunk));
      } else if (tokenizer.spellsUnknownWords()) {
        Matcher word = WORD.matcher(chunk);
        while (word.find()) {
          if (tokenizer.encode(word.group()).length > 1) {
            spelled.add(word.group().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return new UnknownWords(new ArrayList<>(unknown), new ArrayList<>(spelled));
  }

  /** Whether every word is held. */
  public boolean isEmpty() {
    return unknown.isEmpty() && spelled.isEmpty();
  }

  /**
   * One line for each kind found, e.g. {@code 2 words are not in the model's vocabulary: foo, bar;
   * they are read as <unk>}.
   */
  public List<String> warnings() {
    List<String> lines = new ArrayList<>();
    if (!unknown.isEmpty()) {
      lines.add(line(unknown, "read as <unk>"));
    }
    if (!spelled.isEmpty()) {
      lines.add(line(spelled, "spelled letter by letter"));
    }
    return lines;
  }

  private static String line(List<String> words, String how) {
    boolean one = words.size() == 1;
    return words.size()
        + (one ? " word is" : " words are")
        + " not in the model's vocabulary: "
        + String.join(", ", words)
        + (one ? "; it is " : "; they are ")
        + how;
  }

  /** The word without the punctuation around it, unless that is all there is. */
  private static String trimmed(String chunk) {
    String word = chunk.replaceAll("^[\\p{Punct}]+|[\\p{Punct}]+$", "");
    return word.isEmpty() ? chunk : word;
  }

  private static boolean contains(int[] ids, int id) {
    for (int value : ids) {
      if (value == id) {
        return true;
      }
    }
    return false;
  }
}
