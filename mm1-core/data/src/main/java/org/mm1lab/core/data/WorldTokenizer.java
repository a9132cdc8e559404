package org.mm1lab.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in tokenizer of the synthetic world: one id per word of the world's closed vocabulary,
 * and single letters and digits for anything else (the short written words in images), so every
 * lower-case ASCII text round-trips. Punctuation marks are tokens of their own.
 */
public final class WorldTokenizer implements Tokenizer {

  /** Special tokens, in id order. */
  public static final List<String> SPECIALS =
      List.of("<pad>", "<bos>", "<eos>", "<image>", "<eoc>", "<unk>");

  /** The words of the world, beyond single characters. */
  private static final List<String> WORDS =
      List.of(
          // colours
          "red",
          "green",
          "blue",
          "yellow",
          "purple",
          "orange",
          "white",
          "black",
          "gray",
          "pink",
          "brown",
          "cyan",
          // shapes
          "circle",
          "square",
          "triangle",
          "star",
          "cross",
          "diamond",
          "ring",
          "bar",
          "circles",
          "squares",
          "triangles",
          "stars",
          "crosses",
          "diamonds",
          "rings",
          "bars",
          "shape",
          "shapes",
          "object",
          "objects",
          // sizes and positions
          "small",
          "large",
          "tiny",
          "big",
          "medium",
          "left",
          "right",
          "top",
          "bottom",
          "center",
          "middle",
          "upper",
          "lower",
          "corner",
          "side",
          "above",
          "below",
          "next",
          "near",
          "far",
          // counting
          "zero",
          "one",
          "two",
          "three",
          "four",
          "five",
          "six",
          "seven",
          "eight",
          "nine",
          "ten",
          "many",
          "several",
          "some",
          "no",
          // text in images
          "word",
          "words",
          "written",
          "text",
          "letters",
          "says",
          "reads",
          "label",
          "sign",
          // function words and caption verbs
          "a",
          "an",
          "the",
          "and",
          "or",
          "of",
          "with",
          "in",
          "on",
          "at",
          "to",
          "is",
          "are",
          "there",
          "this",
          "that",
          "it",
          "its",
          "image",
          "picture",
          "photo",
          "shows",
          "showing",
          "has",
          "have",
          "contains",
          "see",
          "can",
          "you",
          "we",
          "here",
          "also",
          "another",
          "other",
          "each",
          "both",
          "all",
          "only",
          "same",
          "different",
          "than",
          "more",
          "fewer",
          "colour",
          "color",
          "size",
          "position",
          "kind",
          "background",
          "scene",
          // tasks and prompts
          "question",
          "answer",
          "short",
          "output",
          "what",
          "which",
          "how",
          "where",
          "who",
          "yes",
          "true",
          "false",
          "document",
          "page",
          "first",
          "second",
          "third",
          "last",
          "then",
          "after",
          "before",
          "follows",
          "sequence",
          "pattern",
          "repeat",
          "count",
          "number",
          "name",
          "story",
          "about");

  private static final String PUNCTUATION = ".,:;?!'\"-()";
  private static final String CONTINUATION = "##";

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final int unknownId;

  /**
   * The world vocabulary: specials, then letters and digits (word-initial and, prefixed {@code ##},
   * word-internal), then punctuation, then whole words.
   */
  public WorldTokenizer() {
    List<String> all = new ArrayList<>(SPECIALS);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      all.add(String.valueOf(c));
    }
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      all.add(CONTINUATION + c);
    }
    for (int i = 0; i < PUNCTUATION.length(); i++) {
      char c = PUNCTUATION.charAt(i);
      all.add(String.valueOf(c));
    }
    for (String word : WORDS) {
      if (word.length() > 1) {
        all.add(word);
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      if (index.putIfAbsent(all.get(i), i) != null) {
        throw new IllegalStateException("duplicate world token " + all.get(i));
      }
    }
    tokens = Collections.unmodifiableList(all);
    ids = Collections.unmodifiableMap(index);
    unknownId = index.get("<unk>");
  }

  @Override
  public int vocabularySize() {
    return tokens.size();
  }

  /**
   * Lower-cases the text, splits it into words (letters and digits) and punctuation marks, and maps
   * each word to its id or, outside the vocabulary, spells it: first character, then {@code
   * ##}-prefixed ones. Characters outside the alphabet become {@code <unk>}.
   */
  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.append(c);
        continue;
      }
      flush(word, out);
      if (!Character.isWhitespace(c)) {
        out.add(ids.getOrDefault(String.valueOf(c), unknownId));
      }
    }
    flush(word, out);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private void flush(StringBuilder word, List<Integer> out) {
    if (word.length() == 0) {
      return;
    }
    Integer id = ids.get(word.toString());
    if (id != null) {
      out.add(id);
    } else {
      out.add(ids.get(String.valueOf(word.charAt(0))));
      for (int i = 1; i < word.length(); i++) {
        out.add(ids.get(CONTINUATION + word.charAt(i)));
      }
    }
    word.setLength(0);
  }

  /**
   * Joins words with single spaces, glues {@code ##} pieces to the word before them and closing
   * punctuation to the token before it; drops special tokens. {@code decode(encode(t))} equals
   * {@code t} for lower-case text with single spaces and no space before {@code .,:;?!}.
   */
  @Override
  public String decode(int[] tokenIds) {
    StringBuilder text = new StringBuilder();
    for (int id : tokenIds) {
      if (id < SPECIALS.size() || id >= tokens.size()) {
        continue;
      }
      String token = tokens.get(id);
      if (token.startsWith(CONTINUATION)) {
        text.append(token, CONTINUATION.length(), token.length());
      } else if (token.length() == 1 && ".,:;?!)".contains(token)) {
        text.append(token);
      } else {
        if (text.length() > 0) {
          text.append(' ');
        }
        text.append(token);
      }
    }
    return text.toString();
  }

  @Override
  public int padId() {
    return 0;
  }

  @Override
  public int bosId() {
    return 1;
  }

  @Override
  public int eosId() {
    return 2;
  }

  @Override
  public int imageId() {
    return 3;
  }

  @Override
  public int endOfChunkId() {
    return 4;
  }

  @Override
  public List<String> tokens() {
    return tokens;
  }

  @Override
  public int unknownId() {
    return unknownId;
  }

  /** True: a word outside the world's vocabulary is spelled letter by letter. */
  @Override
  public boolean spellsUnknownWords() {
    return true;
  }
}
