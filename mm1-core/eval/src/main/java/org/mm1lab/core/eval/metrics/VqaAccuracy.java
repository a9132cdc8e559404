package org.mm1lab.core.eval.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The VQA accuracy metric of the VQA v2 evaluation script.
 *
 * <p>This follows {@code PythonEvaluationTools/vqaEvaluation/vqaEval.py} of GT-Vision-Lab/VQA as it
 * stands on its master branch since the commit "Fixed processing answers bug" (March 2021), so that
 * numbers are comparable with published VQA v2 results. Per question the script does this:
 *
 * <ol>
 *   <li>The prediction and every human answer get their newlines and tabs replaced by spaces and
 *       are stripped.
 *   <li>If the human answers are not all identical (after step 1), the prediction <em>and</em>
 *       every human answer get the full normalisation of {@link #normalize}: punctuation, periods,
 *       lower case, number words to digits, articles dropped, contractions mended. So {@code 2}
 *       matches annotators who wrote {@code two} and {@code dog} matches {@code a dog}.
 *   <li>If they are all identical, neither side is normalised: the stripped prediction must equal
 *       the human answer character for character. A prediction {@code Yes} or {@code yes.} scores 0
 *       where all ten humans wrote {@code yes}, and {@code two} scores 0 where all wrote {@code 2}.
 *       This is the script's behaviour and is kept on purpose; the released VQA v2 annotations are
 *       already normalised, so it rarely bites there.
 *   <li>Accuracy is the mean over the human answers of {@code min(1, matches among the others /
 *       3)}, comparing whole strings.
 * </ol>
 *
 * <p>The script is Python 2 code (it uses {@code print} statements). Its regular expressions are
 * compiled without {@code re.UNICODE}, which it passes by mistake as {@code re.sub}'s {@code count}
 * argument, so {@code \d} means the ASCII digits {@code 0-9} and at most 32 periods are deleted per
 * answer; lower-casing maps each character on its own, as Python 2's {@code unicode.lower()} does.
 * The script leaves one answer out by comparing the annotation records, which differ in their
 * answer ids; here each position in the list is one annotator.
 */
public final class VqaAccuracy {

  /** Characters that the punctuation step deletes or replaces by a space. */
  private static final List<String> PUNCTUATION =
      List.of(
          ";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@",
          "`", ",", "?", "!");

  /**
   * The script's {@code periodStrip}, {@code (?!<=\d)(\.)(?!\d)}. Its first group is a lookahead
   * for the text {@code <=} and a digit, a typo for a lookbehind; at a period it always holds, so
   * the effective rule is: delete a period unless an ASCII digit follows.
   */
  private static final Pattern PERIOD_NOT_BEFORE_DIGIT = Pattern.compile("\\.(?![0-9])");

  /**
   * The script passes {@code re.UNICODE} (value 32) as {@code re.sub}'s positional {@code count}
   * argument, so at most 32 periods are deleted per answer.
   */
  private static final int PERIOD_DELETIONS = 32;

  /** The script's {@code commaStrip}, used only as a test: a comma between two digits. */
  private static final Pattern COMMA_BETWEEN_DIGITS = Pattern.compile("[0-9],[0-9]");

  /** The script's {@code manualMap}: number words up to ten become digits. */
  private static final Map<String, String> NUMBER_WORDS =
      Map.ofEntries(
          Map.entry("none", "0"),
          Map.entry("zero", "0"),
          Map.entry("one", "1"),
          Map.entry("two", "2"),
          Map.entry("three", "3"),
          Map.entry("four", "4"),
          Map.entry("five", "5"),
          Map.entry("six", "6"),
          Map.entry("seven", "7"),
          Map.entry("eight", "8"),
          Map.entry("nine", "9"),
          Map.entry("ten", "10"));

  private static final Set<String> ARTICLES = Set.of("a", "an", "the");

  /**
   * The script's {@code contractions} table, entry for entry. Some keys contain capitals ({@code
   * Im}, {@code Ive}) and so never match the lower-cased words; some map a word to itself or, like
   * {@code somebody'd}, away from the apostrophe. Kept verbatim for fidelity.
   */
  private static final Map<String, String> CONTRACTIONS =
      Map.ofEntries(
          Map.entry("aint", "ain't"),
          Map.entry("arent", "aren't"),
          Map.entry("cant", "can't"),
          Map.entry("couldve", "could've"),
          Map.entry("couldnt", "couldn't"),
          Map.entry("couldn'tve", "couldn't've"),
          Map.entry("couldnt've", "couldn't've"),
          Map.entry("didnt", "didn't"),
          Map.entry("doesnt", "doesn't"),
          Map.entry("dont", "don't"),
          Map.entry("hadnt", "hadn't"),
          Map.entry("hadnt've", "hadn't've"),
          Map.entry("hadn'tve", "hadn't've"),
          Map.entry("hasnt", "hasn't"),
          Map.entry("havent", "haven't"),
          Map.entry("hed", "he'd"),
          Map.entry("hed've", "he'd've"),
          Map.entry("he'dve", "he'd've"),
          Map.entry("hes", "he's"),
          Map.entry("howd", "how'd"),
          Map.entry("howll", "how'll"),
          Map.entry("hows", "how's"),
          Map.entry("Id've", "I'd've"),
          Map.entry("I'dve", "I'd've"),
          Map.entry("Im", "I'm"),
          Map.entry("Ive", "I've"),
          Map.entry("isnt", "isn't"),
          Map.entry("itd", "it'd"),
          Map.entry("itd've", "it'd've"),
          Map.entry("it'dve", "it'd've"),
          Map.entry("itll", "it'll"),
          Map.entry("let's", "let's"),
          Map.entry("maam", "ma'am"),
          Map.entry("mightnt", "mightn't"),
          Map.entry("mightnt've", "mightn't've"),
          Map.entry("mightn'tve", "mightn't've"),
          Map.entry("mightve", "might've"),
          Map.entry("mustnt", "mustn't"),
          Map.entry("mustve", "must've"),
          Map.entry("neednt", "needn't"),
          Map.entry("notve", "not've"),
          Map.entry("oclock", "o'clock"),
          Map.entry("oughtnt", "oughtn't"),
          Map.entry("ow's'at", "'ow's'at"),
          Map.entry("'ows'at", "'ow's'at"),
          Map.entry("'ow'sat", "'ow's'at"),
          Map.entry("shant", "shan't"),
          Map.entry("shed've", "she'd've"),
          Map.entry("she'dve", "she'd've"),
          Map.entry("she's", "she's"),
          Map.entry("shouldve", "should've"),
          Map.entry("shouldnt", "shouldn't"),
          Map.entry("shouldnt've", "shouldn't've"),
          Map.entry("shouldn'tve", "shouldn't've"),
          Map.entry("somebody'd", "somebodyd"),
          Map.entry("somebodyd've", "somebody'd've"),
          Map.entry("somebody'dve", "somebody'd've"),
          Map.entry("somebodyll", "somebody'll"),
          Map.entry("somebodys", "somebody's"),
          Map.entry("someoned", "someone'd"),
          Map.entry("someoned've", "someone'd've"),
          Map.entry("someone'dve", "someone'd've"),
          Map.entry("someonell", "someone'll"),
          Map.entry("someones", "someone's"),
          Map.entry("somethingd", "something'd"),
          Map.entry("somethingd've", "something'd've"),
          Map.entry("something'dve", "something'd've"),
          Map.entry("somethingll", "something'll"),
          Map.entry("thats", "that's"),
          Map.entry("thered", "there'd"),
          Map.entry("thered've", "there'd've"),
          Map.entry("there'dve", "there'd've"),
          Map.entry("therere", "there're"),
          Map.entry("theres", "there's"),
          Map.entry("theyd", "they'd"),
          Map.entry("theyd've", "they'd've"),
          Map.entry("they'dve", "they'd've"),
          Map.entry("theyll", "they'll"),
          Map.entry("theyre", "they're"),
          Map.entry("theyve", "they've"),
          Map.entry("twas", "'twas"),
          Map.entry("wasnt", "wasn't"),
          Map.entry("wed've", "we'd've"),
          Map.entry("we'dve", "we'd've"),
          Map.entry("weve", "we've"),
          Map.entry("werent", "weren't"),
          Map.entry("whatll", "what'll"),
          Map.entry("whatre", "what're"),
          Map.entry("whats", "what's"),
          Map.entry("whatve", "what've"),
          Map.entry("whens", "when's"),
          Map.entry("whered", "where'd"),
          Map.entry("wheres", "where's"),
          Map.entry("whereve", "where've"),
          Map.entry("whod", "who'd"),
          Map.entry("whod've", "who'd've"),
          Map.entry("who'dve", "who'd've"),
          Map.entry("wholl", "who'll"),
          Map.entry("whos", "who's"),
          Map.entry("whove", "who've"),
          Map.entry("whyll", "why'll"),
          Map.entry("whyre", "why're"),
          Map.entry("whys", "why's"),
          Map.entry("wont", "won't"),
          Map.entry("wouldve", "would've"),
          Map.entry("wouldnt", "wouldn't"),
          Map.entry("wouldnt've", "wouldn't've"),
          Map.entry("wouldn'tve", "wouldn't've"),
          Map.entry("yall", "y'all"),
          Map.entry("yall'll", "y'all'll"),
          Map.entry("y'allll", "y'all'll"),
          Map.entry("yall'd've", "y'all'd've"),
          Map.entry("y'alld've", "y'all'd've"),
          Map.entry("y'all'dve", "y'all'd've"),
          Map.entry("youd", "you'd"),
          Map.entry("youd've", "you'd've"),
          Map.entry("you'dve", "you'd've"),
          Map.entry("youll", "you'll"),
          Map.entry("youre", "you're"),
          Map.entry("youve", "you've"));

  private VqaAccuracy() {}

  /**
   * The official answer normalisation, which the script applies to the prediction and to every
   * human answer of a question whose human answers are not all identical: punctuation handling,
   * digits for number words ("two" -> "2"), articles removed, contractions mended ("dont" ->
   * "don't"), lower case, whitespace.
   *
   * <p>Precisely: newlines and tabs become spaces and the text is stripped; then the punctuation
   * step: each of {@code ; / [ ] " { } ( ) = + \ _ - > < @ ` , ? !} is deleted if the answer has
   * that character next to a space, or if it has a comma between two digits anywhere ({@code 1,000}
   * becomes {@code 1000}), and otherwise replaced by a space ({@code t-shirt} becomes {@code t
   * shirt}); then periods not followed by a digit are deleted (at most 32, see the class notes);
   * then the text is lower-cased and split on whitespace, number words {@code none, zero, ..., ten}
   * become digits, the articles {@code a an the} are dropped, contractions are mended ({@code dont}
   * becomes {@code don't}), and the words are joined by single spaces. Apostrophes and colons are
   * kept.
   *
   * @throws NullPointerException if {@code answer} is null
   */
  public static String normalize(String answer) {
    return processDigitArticle(processPunctuation(clean(answer)));
  }

  /**
   * Accuracy of one predicted answer against the (usually 10) human answers, as the official script
   * computes it: mean over the human answers of min(1, matches among the others / 3).
   *
   * <p>Both sides are cleaned and, unless the human answers are all identical, normalised (see the
   * class notes). For each human answer {@code i}, {@code acc_i = min(1, m_i / 3)} where {@code
   * m_i} counts the <em>other</em> human answers equal to the prediction; the result is the mean of
   * the {@code acc_i}. With 10 humans, 0, 1, 2, 3 and 4 or more matches give 0, 0.3, 0.6, 0.9 and
   * 1.
   *
   * @return a value in [0, 1]
   * @throws IllegalArgumentException if {@code humanAnswers} is empty
   * @throws NullPointerException if the answer, the list or one of its answers is null
   */
  public static double score(String answer, List<String> humanAnswers) {
    Objects.requireNonNull(humanAnswers, "humanAnswers");
    if (humanAnswers.isEmpty()) {
      throw new IllegalArgumentException("VQA accuracy needs at least one human answer");
    }
    String predicted = clean(answer);
    List<String> humans = new ArrayList<>(humanAnswers.size());
    for (String human : humanAnswers) {
      humans.add(clean(Objects.requireNonNull(human, "human answer")));
    }
    // The script normalises only when the humans disagree; unanimous answers are compared raw.
    if (new HashSet<>(humans).size() > 1) {
      humans.replaceAll(h -> processDigitArticle(processPunctuation(h)));
      predicted = processDigitArticle(processPunctuation(predicted));
    }
    int matches = 0;
    for (String human : humans) {
      if (human.equals(predicted)) {
        matches++;
      }
    }
    double sum = 0;
    for (String human : humans) {
      // Leave human i out: the others that match are all matches but i itself if it matched.
      int others = human.equals(predicted) ? matches - 1 : matches;
      sum += Math.min(1.0, others / 3.0);
    }
    return sum / humans.size();
  }

  /** Newlines and tabs to spaces, then stripped, as the script does to every answer first. */
  private static String clean(String answer) {
    Objects.requireNonNull(answer, "answer");
    return pythonStrip(answer.replace('\n', ' ').replace('\t', ' '));
  }

  /** The script's {@code processPunctuation}; the conditions look at the input, not the output. */
  static String processPunctuation(String in) {
    boolean commaBetweenDigits = COMMA_BETWEEN_DIGITS.matcher(in).find();
    String out = in;
    for (String p : PUNCTUATION) {
      if (in.contains(p + " ") || in.contains(" " + p) || commaBetweenDigits) {
        out = out.replace(p, "");
      } else {
        out = out.replace(p, " ");
      }
    }
    Matcher periods = PERIOD_NOT_BEFORE_DIGIT.matcher(out);
    StringBuilder stripped = new StringBuilder();
    int deleted = 0;
    while (deleted < PERIOD_DELETIONS && periods.find()) {
      periods.appendReplacement(stripped, "");
      deleted++;
    }
    periods.appendTail(stripped);
    return stripped.toString();
  }

  /** The script's {@code processDigitArticle}: lower case, number words, articles, contractions. */
  private static String processDigitArticle(String in) {
    List<String> words = new ArrayList<>();
    for (String word : pythonSplit(pythonLower(in))) {
      String mapped = NUMBER_WORDS.getOrDefault(word, word);
      if (!ARTICLES.contains(mapped)) {
        words.add(CONTRACTIONS.getOrDefault(mapped, mapped));
      }
    }
    return String.join(" ", words);
  }

  /** Python 2's {@code unicode.lower()}: each character's own lower case, no context. */
  private static String pythonLower(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
    return out.toString();
  }

  /** Python's {@code str.split()} without arguments: runs of whitespace, no empty words. */
  private static List<String> pythonSplit(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (isPythonSpace(cp)) {
        if (start >= 0) {
          words.add(text.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      words.add(text.substring(start));
    }
    return words;
  }

  /** Python's {@code str.strip()} without arguments. */
  private static String pythonStrip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.codePointAt(start))) {
      start += Character.charCount(text.codePointAt(start));
    }
    while (end > start && isPythonSpace(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    return text.substring(start, end);
  }

  /** Close to Python's {@code str.isspace()}: Java whitespace plus no-break spaces and NEL. */
  private static boolean isPythonSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }
}
