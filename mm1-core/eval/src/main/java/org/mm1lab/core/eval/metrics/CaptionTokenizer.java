package org.mm1lab.core.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a caption into the tokens that {@link CiderD} counts n-grams over, as the COCO caption
 * evaluation does.
 *
 * <p>pycocoevalcap ({@code tokenizer/ptbtokenizer.py}) writes every caption on its own line and
 * runs Stanford CoreNLP 3.4.1's {@code PTBTokenizer -preserveLines -lowerCase} over the file, then
 * drops exactly the tokens {@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;} and
 * {@link CiderD}'s reference splits the rest on whitespace. This class reproduces that pipeline in
 * Java (CoreNLP is GPL-licensed and is no dependency; its behaviour is the reference):
 *
 * <ol>
 *   <li>The caption is cut into tokens by longest match over an ordered list of token rules, the
 *       earlier rule winning a tie, as PTB's lexer does. The rules keep words with inner periods
 *       ({@code u.s}, {@code dog.a}), abbreviations with their final period ({@code u.s.}, {@code
 *       mr.}, {@code etc.}, a single letter before the caption's end: {@code b.}), numbers and
 *       times whole ({@code 3.50}, {@code 1,000}, {@code 10:30}, {@code -5}), hyphenated words
 *       ({@code t-shirt}) and up to three slash-joined words ({@code black/white}) whole; they
 *       split clitics ({@code dog 's}, {@code do n't}, {@code ca n't}) and {@code cannot}, {@code
 *       gonna}, {@code gotta}, {@code wanna}, {@code gimme}, {@code lemme} ({@code can not}, {@code
 *       gon na}); they keep runs of {@code ?} and {@code !} as one token ({@code !!}).
 *   <li>Tokens are rewritten as PTB does: brackets {@code ( ) [ ] { }} become {@code -LRB- -RRB-
 *       -LSB- -RSB- -LCB- -RCB-}, double quotes {@code ``} or {@code ''} by side, a left single
 *       quote {@code `}, dashes (en, em, three or four hyphens) {@code --}, ellipses {@code ...},
 *       {@code ½} {@code 1/2}, {@code €} {@code $}, {@code £} {@code #}, {@code ¢} {@code cents}.
 *       Characters no rule knows (emoji and anything outside the Basic Multilingual Plane, control
 *       and zero-width characters, a lone {@code ‐}) are dropped.
 *   <li>Every token is lower-cased ({@link Locale#ENGLISH}), <em>after</em> the rewriting. So the
 *       bracket tokens become {@code -lrb- -rrb- -lsb- -rsb- -lcb- -rcb-}, which the upper-case
 *       removal list never matches: in the COCO pipeline brackets stay in the caption as tokens.
 *   <li>Tokens in the removal list are dropped. Runs such as {@code !!}, {@code ?!}, five hyphens
 *       or {@code /} are not in it and stay.
 *   <li>A token that holds whitespace (a fraction {@code 1 1/2}, which PTB joins with a no-break
 *       space) is split there, as Python 3's {@code str.split()} in the CIDEr scorer does.
 * </ol>
 *
 * <p>Deliberate simplifications, none of which change ordinary captions: the letters of scripts
 * other than Latin, Greek, Cyrillic and Armenian are approximated by Unicode's letters and
 * combining marks; a caption is tokenized as if it were the last line of the file, while in the
 * reference the first word of the next caption can change whether a single-letter abbreviation
 * keeps its period ({@code b.} before a line starting {@code The ...} becomes {@code b}); and any
 * line break inside a caption counts as a space, where the reference would start a new line and
 * misalign every later caption.
 */
public final class CaptionTokenizer {

  /** pycocoevalcap's {@code PUNCTUATIONS}, verbatim, upper-case entries included. */
  private static final Set<String> REMOVED =
      Set.of(
          "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-",
          "--", "...", ";");

  // Character classes. PTB's lexer reads UTF-16 units and knows letters and digits of the Basic
  // Multilingual Plane only, so supplementary characters fall through to the dropping rule.
  private static final String BMP = "&&[\\u0000-\\uFFFF]";

  /**
   * A letter as a word's letters go: letters, the soft hyphen, the combining marks of the scripts
   * from Latin to Lao, and the modifier signs, unassigned points and punctuation that PTB counts as
   * letters in the Latin, Greek and Armenian blocks.
   */
  private static final String LETTER =
      "(?:[\\p{L}"
          + BMP
          + "]|[\\p{M}&&[\\u0300-\\u0EFF]]|[\\u00AD\\u02C2-\\u02C5\\u02D2-\\u02DF\\u02E5-\\u02FF"
          + "\\u0370-\\u037D\\u0384\\u0385\\u03CF\\u03F6\\u03FC-\\u03FF\\u055A-\\u055F])";

  /** A plain letter, without marks (PTB's {@code [:letter:]}). */
  private static final String ALPHA = "[\\p{L}" + BMP + "]";

  private static final String DIGIT = "[\\p{Nd}" + BMP + "]";
  private static final String LETTER_OR_DIGIT = "(?:" + LETTER + "|" + DIGIT + ")";
  private static final String ALNUM = "[[\\p{L}\\p{Nd}]" + BMP + "]";
  private static final String SPACE = "[ \\t\\u00A0\\u2000-\\u200A\\u3000]";
  private static final String NEWLINE = "(?:\\r\\n|[\\n\\r\\u2028\\u2029\\u000B\\u000C\\u0085])";
  private static final String SPACE_OR_NEWLINE = "(?:" + SPACE + "|" + NEWLINE + ")";

  /** A word: letters and digits, with single {@code . ! ?} allowed between letters. */
  private static final String WORD =
      LETTER + LETTER_OR_DIGIT + "*(?:[.!?]" + LETTER + LETTER_OR_DIGIT + "*)*";

  private static final String APOS = "(?:['\\u0092\\u2019]|(?i:&apos;))";

  /** Apostrophes plus the characters that stand in for one inside words. */
  private static final String APOS_LIKE = "(?:" + APOS + "|[`\\u0091\\u2018\\u201B])";

  /** A clitic split off a word: {@code 's 'm 'd 're 've 'll}. */
  private static final String CLITIC = APOS + "(?:[msdMSD]|(?i:re|ve|ll))";

  /**
   * The stem before {@code n't}: it cannot end in {@code n} ({@code do}, {@code ca}, {@code is}).
   */
  private static final String NT_STEM = "[A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*";

  private static final String NT = "(?i:n)" + APOS_LIKE + "(?i:t)";

  /** Letters joined by {@code . }: {@code u.s}, {@code a.k.a}, and a few compounds. */
  private static final String INITIALS =
      "(?:(?i:canada|sino|korean|eu|japan|non)-(?i:u\\.s)|(?i:u\\.s\\.-)(?i:u\\.s\\.s\\.r|u\\.k)"
          + "|[A-Za-z](?:\\.[A-Za-z])*)";

  /** {@link #INITIALS} with at least one period. */
  private static final String INITIALS2 =
      "(?:(?i:canada|sino|korean|eu|japan|non)-(?i:u\\.s)|(?i:u\\.s\\.-)(?i:u\\.s\\.s\\.r|u\\.k)"
          + "|[A-Za-z](?:\\.[A-Za-z])+)";

  private static final String HYPHENATED =
      "[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:" + INITIALS2 + "\\.|[A-Za-z0-9\\u00AD]+))+";

  private static final String ELISION_PREFIX = "(?:[dDoOlL]" + APOS_LIKE + ALNUM + ")";
  private static final String JOINED =
      ELISION_PREFIX
          + "?"
          + ALNUM
          + "+(?:[-_\\u058A\\u2010\\u2011]"
          + ELISION_PREFIX
          + "?"
          + ALNUM
          + "+)*";

  private static final String UPPER_JOINED = "[A-Z]+(?:(?:[+&]|(?i:&amp;))[A-Z]+)+";

  private static final String SGML =
      "<(?:[!?][A-Za-z-][^>\\r\\n]*|[A-Za-z][A-Za-z0-9_:.\\-]*(?:[ ]+[A-Za-z][A-Za-z0-9_:.\\-]*"
          + "(?:[ ]*=[ ]*(?:'[^']*'|\"[^\"]*\"))?)*[ ]*/?|/[A-Za-z][A-Za-z0-9_:.\\-]*)[ ]*>";

  /** Abbreviations normally followed by a lower-case word. */
  private static final String ABBREV_LOWER_NEXT =
      "(?:"
          + caseless(
              "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thurs|Fri"
                  + "|Ala|Ariz|Calif|Colo|Conn|Ct|Dak|Fla|Ga|Ind|Kans|Kan|Ky|Md|Mich|Minn|Mo|Mont"
                  + "|Neb|Nev|Okla|Penn|Tenn|Va|Vt|Wisc|Wis|Wyo"
                  + "|Inc|Cos|Co|Corp|Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys"
                  + "|tel|est|ext|sq|Jr|Sr|Bros|Ed\\.D|Ph\\.D|Blvd|Rd|Esq|etc|al|seq|Bldg")
          // Capital first letter required: these are also common words.
          + "|A(?i:z)|A(?i:rk)|D(?i:el)|I(?i:ll)|L(?i:a)|M(?i:ass)|M(?i:iss)|O(?i:re)|P(?i:a)"
          + "|T(?i:ex)|W(?i:ash)"
          // "Pty", "Ptys", "Ppte": the vowel is matched in lower case only.
          + "|(?i:pp?t)[ye](?i:s)?"
          + ")\\.";

  /** Titles and the like, normally followed by a capitalised word. */
  private static final String TITLES =
      "(?:"
          + caseless(
              "Mrs|Mr|Ms|Drs|Dr|Profs|Prof|Sens|Sen|Reps|Rep|Attys|Atty|Lt|Col|Gen|Messrs|Govs"
                  + "|Gov|Adm|Rev|Maj|Sgt|Cpl|Pvt|Capt|Ste|St|Ave|Pres|Lieut|Hon|Brig|Comdr|Cmdr"
                  + "|Pfc|Spc|Supts|Supt|Det|Mt|Ft|Adj|Adv|Asst|Assoc|Ens|Insp|Mlle|Mme|Msgr|Sfc"
                  + "|vs|Alex|Wm|Jos|Cie|a\\.k\\.a|cf|TREAS|Ph|Invt|Elec|Natl|Dept")
          + "|M(?i:iss)|(?i:m)[ft](?i:g))";

  /** Abbreviations kept only before a number: {@code no. 5}, {@code ca. 1990}. */
  private static final String ABBREV_BEFORE_NUMBER =
      caseless("ca|figs|fig|prop|nos|no|art|bldg|pp|op") + "\\.";

  /** Words after which an initialism's period is taken to end a sentence (capital first). */
  private static final List<String> SENTENCE_STARTERS =
      List.of(
          "About",
          "According",
          "Additionally",
          "After",
          "An",
          "A",
          "As",
          "At",
          "But",
          "Earlier",
          "He",
          "Her",
          "Here",
          "However",
          "If",
          "In",
          "It",
          "Last",
          "Many",
          "More",
          "Mr.",
          "Ms.",
          "Now",
          "Once",
          "One",
          "Other",
          "Our",
          "She",
          "Since",
          "So",
          "Some",
          "Such",
          "That",
          "The",
          "Their",
          "Then",
          "There",
          "These",
          "They",
          "This",
          "We",
          "When",
          "While",
          "What",
          "Yet",
          "You");

  private static final String MISC_SYMBOL =
      "[+%&~^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00BA\\u00D7"
          + "\\u00F7\\u0387\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u0600-\\u0603"
          + "\\u0606-\\u060A\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6-\\u07F8"
          + "\\u0964\\u0965\\u0E4F\\u1FBD\\u2016\\u2017\\u2020-\\u2023\\u2030-\\u2038\\u203B"
          + "\\u203E-\\u2042\\u2044\\u207A-\\u207F\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF"
          + "\\u2200-\\u2BFF\\u3012\\u30FB\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40"
          + "\\uFF5B-\\uFF65]";

  /** What a matched token turns into: the tokens to emit and how many characters it consumed. */
  private record Lexeme(List<String> tokens, int consumed) {}

  /**
   * One token rule: alternative patterns (the longest match among them counts) and what a match
   * becomes. A pattern's named group {@code t} is the token; the rest of the match is context that
   * must follow it and that counts towards the match length, as trailing context does in PTB.
   */
  private record Rule(List<Pattern> patterns, Function<String, Lexeme> action) {}

  private static final List<Rule> RULES = buildRules();

  /** Every rule's patterns in rule order, with the rule each belongs to. */
  private static final Pattern[] PATTERNS =
      RULES.stream().flatMap(r -> r.patterns().stream()).toArray(Pattern[]::new);

  private static final Rule[] RULE_OF =
      RULES.stream().flatMap(r -> r.patterns().stream().map(p -> r)).toArray(Rule[]::new);

  private static final boolean[] HAS_TOKEN_GROUP = hasTokenGroup();

  /**
   * For each character of the Basic Multilingual Plane, once first seen: the indices of the
   * patterns whose match can start with it, so that a position tries a handful of patterns, not all
   * of them.
   */
  private static final AtomicReferenceArray<int[]> CANDIDATES = new AtomicReferenceArray<>(0x10000);

  private CaptionTokenizer() {}

  /**
   * The tokens of {@code text} as the COCO caption evaluation counts them: lower-cased, without the
   * removed punctuation; empty for blank text.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public static List<String> tokenize(String text) {
    Objects.requireNonNull(text, "text");
    // pycocoevalcap replaces line breaks in a caption by spaces and ends each caption's line.
    String input = text.replace('\n', ' ') + "\n";
    Matcher[] matchers = new Matcher[PATTERNS.length];
    List<String> tokens = new ArrayList<>();
    int pos = 0;
    while (pos < input.length()) {
      int bestLength = 0;
      Lexeme best = null;
      for (int k : candidates(input.codePointAt(pos))) {
        if (matchers[k] == null) {
          matchers[k] = PATTERNS[k].matcher(input);
        }
        Matcher matcher = matchers[k];
        matcher.region(pos, input.length());
        // Strictly longer only: on a tie the earlier rule has already won.
        if (matcher.lookingAt() && matcher.end() - pos > bestLength) {
          bestLength = matcher.end() - pos;
          String token = HAS_TOKEN_GROUP[k] ? matcher.group("t") : matcher.group();
          best = RULE_OF[k].action().apply(token);
        }
      }
      if (best == null) {
        // No rule knows this character: PTB drops it.
        pos += Character.charCount(input.codePointAt(pos));
        continue;
      }
      for (String token : best.tokens()) {
        String lower = token.toLowerCase(Locale.ENGLISH);
        if (!REMOVED.contains(lower)) {
          splitOnWhitespace(lower, tokens);
        }
      }
      pos += best.consumed();
    }
    return tokens;
  }

  /** The patterns, in rule order, that a match starting with {@code cp} may come from. */
  private static int[] candidates(int cp) {
    if (cp >= CANDIDATES.length()) {
      return startingWith(cp);
    }
    int[] known = CANDIDATES.get(cp);
    if (known == null) {
      known = startingWith(cp);
      CANDIDATES.set(cp, known);
    }
    return known;
  }

  /**
   * A pattern can start with {@code cp} if, given that character alone, it matches or runs out of
   * input while still matching; if it fails before the end, no continuation can help.
   */
  private static int[] startingWith(int cp) {
    String probe = new String(Character.toChars(cp));
    List<Integer> found = new ArrayList<>();
    for (int k = 0; k < PATTERNS.length; k++) {
      Matcher m = PATTERNS[k].matcher(probe);
      if (m.lookingAt() || m.hitEnd()) {
        found.add(k);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean[] hasTokenGroup() {
    boolean[] has = new boolean[PATTERNS.length];
    for (int k = 0; k < PATTERNS.length; k++) {
      has[k] = PATTERNS[k].pattern().contains("(?<t>");
    }
    return has;
  }

  /** Adds the whitespace-separated parts of {@code token}, whitespace as Python 3 defines it. */
  private static void splitOnWhitespace(String token, List<String> out) {
    int start = -1;
    for (int i = 0; i < token.length(); i++) {
      if (isPythonSpace(token.charAt(i))) {
        if (start >= 0) {
          out.add(token.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      out.add(token.substring(start));
    }
  }

  private static boolean isPythonSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || (c >= '\u001C' && c <= '\u001F')
        || c == ' '
        || c == '\u0085'
        || c == '\u00A0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200A')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202F'
        || c == '\u205F'
        || c == '\u3000';
  }

  /** {@code alternatives} ({@code a|b|...}) matched regardless of ASCII case. */
  private static String caseless(String alternatives) {
    return "(?i:" + alternatives + ")";
  }

  private static Rule rule(Function<String, Lexeme> action, String... patterns) {
    List<Pattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      compiled.add(Pattern.compile(p));
    }
    return new Rule(List.copyOf(compiled), action);
  }

  /** The token as matched. */
  private static Lexeme same(String token) {
    return new Lexeme(List.of(token), token.length());
  }

  /** {@code replacement} for the matched token. */
  private static Function<String, Lexeme> as(String replacement) {
    return token -> new Lexeme(List.of(replacement), token.length());
  }

  /** The matched token, then its last character goes back to be read again. */
  private static Lexeme keepAndReread(String token) {
    return new Lexeme(List.of(token), token.length() - 1);
  }

  /** Only the first {@code n} characters are a token; the rest is read again. */
  private static Function<String, Lexeme> firstChars(int n) {
    return token -> new Lexeme(List.of(token.substring(0, n)), n);
  }

  private static Lexeme drop(String token) {
    return new Lexeme(List.of(), token.length());
  }

  private static Lexeme withoutSoftHyphens(String token) {
    String out = token.replace("\u00AD", "");
    return new Lexeme(List.of(out.isEmpty() ? "-" : out), token.length());
  }

  private static Lexeme withAmpersand(String token) {
    return new Lexeme(List.of(token.replaceAll("(?i)&amp;", "&")), token.length());
  }

  /**
   * Quotes as PTB writes them: left ones {@code `} and {@code ``}, right ones {@code '} {@code ''}.
   */
  private static Function<String, Lexeme> quote(boolean left) {
    return token -> {
      String s = token.replaceAll("(?i)&apos;", "'").replaceAll("(?i)&quot;", "\"");
      s = left ? s.replace("'", "`").replace("\"", "``") : s.replace("\"", "''");
      s =
          s.replaceAll("[\\u0091\\u2018\\u201B\\u2039]", "`")
              .replaceAll("[\\u0092\\u2019\\u203A]", "'")
              .replaceAll("[\\u0093\\u201C\\u00AB]", "``")
              .replaceAll("[\\u0094\\u201D\\u00BB]", "''");
      return new Lexeme(List.of(s), token.length());
    };
  }

  private static Lexeme brackets(String token) {
    return new Lexeme(List.of(token.replace("(", "-LRB-").replace(")", "-RRB-")), token.length());
  }

  private static Lexeme currency(String token) {
    String s =
        token
            .replace("\u00A2", "cents")
            .replace("\u00A3", "#")
            .replaceAll("[\\u0080\\u00A4\\u20A0\\u20AC]", "\\$");
    return new Lexeme(List.of(s), token.length());
  }

  private static Lexeme fraction(String token) {
    String s =
        token
            .replace("\u00BC", "1/4")
            .replace("\u00BD", "1/2")
            .replace("\u00BE", "3/4")
            .replace("\u2153", "1/3")
            .replace("\u2154", "2/3");
    return new Lexeme(List.of(s), token.length());
  }

  /**
   * An initialism followed by a sentence-starting word: a single letter loses its period ({@code
   * I.}), a longer one keeps it and the period is read again as the sentence's end.
   */
  private static Lexeme sentenceFinalInitials(String token) {
    return token.length() == 2
        ? new Lexeme(List.of(token.substring(0, 1)), 1)
        : keepAndReread(token);
  }

  private static Lexeme hyphens(String token) {
    int n = token.length();
    return new Lexeme(List.of(n == 3 || n == 4 ? "--" : token), n);
  }

  private static List<Rule> buildRules() {
    StringBuilder starters = new StringBuilder();
    for (String w : SENTENCE_STARTERS) {
      // The capital is required; the rest of the word matches in any case.
      starters
          .append(starters.length() == 0 ? "" : "|")
          .append(w.charAt(0))
          .append("(?i:")
          .append(Pattern.quote(w.substring(1)))
          .append(')');
    }
    String sentenceEnd =
        SPACE_OR_NEWLINE + "(?:" + SPACE_OR_NEWLINE + "|\\p{IsUppercase}|" + SGML + ")";
    String inSentencePunct = "[,;:\\u3001]";

    List<Rule> rules = new ArrayList<>();
    rules.add(rule(CaptionTokenizer::same, "(?i:c\\+\\+)", "(?i:[cf])#"));
    // Split assimilations: "cannot" -> "can not", "gonna" -> "gon na", "'twas" -> "'t was".
    rules.add(rule(firstChars(3), "(?i:cannot)"));
    rules.add(rule(firstChars(2), "'(?i:twas)", "'(?i:tis)"));
    rules.add(rule(firstChars(3), "(?i:gonna|gotta|lemme|gimme|wanna)"));
    rules.add(rule(t -> new Lexeme(List.of(t.replace(' ', '\u00A0')), t.length()), SGML));
    rules.add(rule(as("--"), "&(?i:MD|mdash|ndash);", "[\\u0096\\u0097\\u2013\\u2014\\u2015]"));
    rules.add(rule(as("&"), "(?i:&amp;)"));
    rules.add(rule(CaptionTokenizer::same, "&(?i:HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);"));
    // A word before a clitic or before "n't" ends where the clitic starts.
    rules.add(rule(CaptionTokenizer::withoutSoftHyphens, "(?<t>" + WORD + ")" + CLITIC));
    rules.add(rule(CaptionTokenizer::withoutSoftHyphens, "(?<t>" + NT_STEM + ")" + NT));
    rules.add(rule(CaptionTokenizer::withoutSoftHyphens, WORD));
    // Words that keep their apostrophe: 'n', l', 'em, 'til, '90s, ma'am, O'Neil, ...
    rules.add(
        rule(
            CaptionTokenizer::same,
            APOS + "(?i:n)" + APOS + "?",
            "[lLdDjJ]" + APOS,
            "(?i:dunkin|somethin|ol)" + APOS,
            APOS + "(?i:em)",
            "[A-HJ-XZn]" + APOS_LIKE + ALPHA + "{2,}",
            APOS + "[2-9]0(?i:s)",
            APOS + "(?i:till?)",
            ALPHA + "+[aeiouyAEIOUY]" + APOS_LIKE + "[aeiouA-Z]" + ALPHA + "*",
            APOS + "(?i:cause)",
            "(?i:cont'd)\\.?",
            "(?i:'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|nat'l)",
            "(?i:o)" + APOS_LIKE + "(?i:o)"));
    rules.add(rule(CaptionTokenizer::same, "(?<t>(?i:y)" + APOS + ")" + ALPHA));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?i:https?)://[^ \\t\\n\\f\\r\"<>|(){}]+[^ \\t\\n\\f\\r\"<>|.!?(){},-]"));
    // A host name ending in .com and the like, or starting www., with an optional path. The "," to
    // "_" in the character class is a range in the reference too: it excludes digits and capitals.
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?:(?i:www)\\.(?:[^ \\t\\n\\f\\r\"<>|.!?(){},]+\\.)+[a-zA-Z]{2,4}"
                + "|(?:[^ \\t\\n\\f\\r\"`'<>|.!?(){},-_$]+\\.)+(?i:com|net|org|edu))"
                + "(?:/[^ \\t\\n\\f\\r\"<>|()]+[^ \\t\\n\\f\\r\"<>|.!?(){},-])?"));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?:<|(?i:&lt;))?[a-zA-Z0-9][^ \\t\\n\\f\\r\"<>|()\\u00A0{}]*@"
                + "(?:[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+\\.)*[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+"
                + "(?:>|(?i:&gt;))?"));
    rules.add(rule(CaptionTokenizer::same, "@[a-zA-Z_][a-zA-Z_0-9]*", "#" + LETTER + "+"));
    rules.add(rule(quote(false), "(?<t>" + CLITIC + ")[^A-Za-z]", "(?<t>" + NT + ")[^A-Za-z]"));
    rules.add(
        rule(CaptionTokenizer::same, DIGIT + "{1,2}[-/]" + DIGIT + "{1,2}[-/]" + DIGIT + "{2,4}"));
    rules.add(
        rule(
            CaptionTokenizer::withoutSoftHyphens,
            "[-+]?(?:" + DIGIT + "*(?:[.:,\\u00AD\\u066B\\u066C]" + DIGIT + "+)+|" + DIGIT + "+)"));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "[\\u207A\\u207B\\u208A\\u208B]?(?:[\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+"
                + "|[\\u2080-\\u2089]+)"));
    rules.add(
        rule(
            t -> new Lexeme(List.of(t.replace(' ', '\u00A0')), t.length()),
            "(?:"
                + DIGIT
                + "{1,4}[- \\u00A0])?"
                + DIGIT
                + "{1,4}(?:\\\\?/|\\u2044)"
                + DIGIT
                + "{1,4}"));
    rules.add(rule(CaptionTokenizer::fraction, "[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]"));
    rules.add(
        rule(
            CaptionTokenizer::withAmpersand,
            "-(?i:RRB|LRB|RCB|LCB|RSB|LSB)-",
            "(?i:C\\.D\\.s|pro-|anti-)",
            "(?i:S)(?:&|(?i:&amp;))(?i:P-500|Ls)",
            "(?i:Cap)" + APOS + "(?i:n)",
            "(?i:c)" + APOS + "(?i:est)"));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}"));
    rules.add(rule(CaptionTokenizer::same, "[A-Z]*\\$", "#"));
    rules.add(
        rule(
            CaptionTokenizer::currency,
            "[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1"
                + "\\uFFE5\\uFFE6]"));
    rules.add(
        rule(
            CaptionTokenizer::sentenceFinalInitials,
            "(?<t>"
                + INITIALS
                + "\\.)"
                + SPACE_OR_NEWLINE
                + "+(?:"
                + starters
                + "|"
                + SGML
                + ")"
                + SPACE_OR_NEWLINE));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?<t>" + ABBREV_BEFORE_NUMBER + ")" + SPACE_OR_NEWLINE + "?" + DIGIT));
    rules.add(
        rule(
            CaptionTokenizer::same, "(?<t>(?:(?i:pt)[eyEY]|(?i:co))\\.)" + SPACE + "(?i:ltd|lim)"));
    // These abbreviations keep their period; at a sentence end the period is also a token.
    rules.add(
        rule(CaptionTokenizer::keepAndReread, "(?<t>" + ABBREV_LOWER_NEXT + ")" + sentenceEnd));
    rules.add(rule(CaptionTokenizer::same, "(?<t>" + ABBREV_LOWER_NEXT + ")[\\s\\S]{2}"));
    rules.add(rule(CaptionTokenizer::keepAndReread, ABBREV_LOWER_NEXT));
    // Titles and initialisms keep their period. Two patterns, not one alternation, so that the
    // longer of "a.k.a." and "a.k.a.u.s." wins as in the reference's longest match.
    rules.add(rule(CaptionTokenizer::same, TITLES + "\\.", INITIALS + "\\."));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?<t>" + TITLES + ")" + SPACE,
            "(?<t>" + INITIALS + ")" + SPACE));
    rules.add(rule(CaptionTokenizer::same, "(?<t>" + INITIALS + ")" + SPACE_OR_NEWLINE));
    rules.add(rule(CaptionTokenizer::same, "(?<t>" + APOS + "[0-9][0-9])" + SPACE_OR_NEWLINE));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "(?<t>"
                + LETTER_OR_DIGIT
                + "+(?:\\."
                + LETTER_OR_DIGIT
                + "+)*\\."
                + caseless(
                    "bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg|jpg"
                        + "|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip")
                + ")(?:"
                + SPACE_OR_NEWLINE
                + "|[.?!,])"));
    rules.add(
        rule(CaptionTokenizer::withoutSoftHyphens, "(?<t>" + WORD + "\\.)" + inSentencePunct));
    // Phone numbers: one token, their spaces made no-break (so split again later), brackets named.
    rules.add(
        rule(
            t ->
                new Lexeme(
                    List.of(t.replace(' ', '\u00A0').replace("(", "-LRB-").replace(")", "-RRB-")),
                    t.length()),
            "\\([0-9]{2,3}\\)[ \\u00A0]?[0-9]{3,4}[- \\u00A0]?[0-9]{3,5}",
            "(?:\\+\\+?)?(?:[0-9]{2,4}[- \\u00A0])?[0-9]{2,4}[- \\u00A0][0-9]{3,4}[- \\u00A0]?[0-9]{3,5}",
            "(?:(?:\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}\\.[0-9]{3,5}"));
    rules.add(rule(quote(true), "(?<t>\"|(?i:&quot;))[A-Za-z0-9$]"));
    rules.add(rule(quote(false), "\"|(?i:&quot;)"));
    rules.add(rule(CaptionTokenizer::drop, "\\u007F"));
    rules.add(rule(as("<"), "<|(?i:&lt;)"));
    rules.add(rule(as(">"), ">|(?i:&gt;)"));
    rules.add(
        rule(
            CaptionTokenizer::brackets,
            "(?<t>[<>]?[:;=][-o*']?[()DPdpO\\\\{@|\\[\\]])[^A-Za-z0-9]"));
    // Smileys such as ^_^ and (^_^).
    rules.add(
        rule(
            CaptionTokenizer::brackets,
            "[\\^x=~<>]\\.\\[\\^x=~<>\\]",
            "[-^x=~<>']_[-^x=~<>']",
            "\\([-^x=~<>'][_.]?[-^x=~<>']\\)",
            "\\([\\^x=~<>']-[\\^x=~<>'`]\\)"));
    rules.add(rule(as("-LCB-"), "\\{"));
    rules.add(rule(as("-RCB-"), "\\}"));
    rules.add(rule(as("-LSB-"), "\\["));
    rules.add(rule(as("-RSB-"), "\\]"));
    rules.add(rule(as("-LRB-"), "\\("));
    rules.add(rule(as("-RRB-"), "\\)"));
    rules.add(rule(CaptionTokenizer::hyphens, "-+"));
    rules.add(rule(as("..."), "\\.{3,5}", "(?:\\.[ \\u00A0]){2,4}\\.", "[\\u0085\\u2026]"));
    rules.add(rule(CaptionTokenizer::same, "@+", "#+", "_+"));
    rules.add(rule(CaptionTokenizer::same, "\\*+", "(?:\\\\\\*){1,3}"));
    rules.add(rule(CaptionTokenizer::same, inSentencePunct));
    rules.add(rule(CaptionTokenizer::same, "[?!]+"));
    rules.add(
        rule(
            CaptionTokenizer::same,
            "[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]"));
    rules.add(rule(CaptionTokenizer::same, "=", "/"));
    rules.add(
        rule(
            CaptionTokenizer::withoutSoftHyphens, "(?<t>" + HYPHENATED + "\\.)" + inSentencePunct));
    rules.add(rule(CaptionTokenizer::withoutSoftHyphens, HYPHENATED));
    rules.add(rule(CaptionTokenizer::same, "(?<t>" + JOINED + "\\.)" + inSentencePunct));
    rules.add(rule(CaptionTokenizer::same, JOINED));
    rules.add(
        rule(CaptionTokenizer::withAmpersand, "(?<t>" + UPPER_JOINED + "\\.)" + inSentencePunct));
    rules.add(rule(CaptionTokenizer::withAmpersand, UPPER_JOINED));
    // An apostrophe before a word is taken as an opening quote.
    rules.add(rule(quote(true), "(?<t>')[A-Za-z][^ \\t\\n\\r\\u00A0]"));
    rules.add(rule(quote(false), CLITIC, NT));
    rules.add(
        rule(
            quote(false),
            APOS,
            "''",
            "[`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E"
                + "\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}"));
    rules.add(rule(CaptionTokenizer::same, "<<|>>"));
    rules.add(rule(CaptionTokenizer::same, MISC_SYMBOL));
    rules.add(
        rule(
            CaptionTokenizer::drop,
            "\\u0000",
            SPACE + "+",
            "[\\u200B\\u200E\\u200F\\uFEFF]",
            NEWLINE,
            "(?i:&nbsp;)"));
    return List.copyOf(rules);
  }
}
