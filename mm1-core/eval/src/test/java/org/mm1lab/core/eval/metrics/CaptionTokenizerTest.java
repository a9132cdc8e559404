package org.mm1lab.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expectation below is what the COCO caption pipeline produces: CoreNLP 3.4.1's {@code
 * PTBTokenizer -preserveLines -lowerCase}, then pycocoevalcap's removal of {@code '' ' `` ` -LRB-
 * -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}. Each case was worked out by hand from the rules of
 * CoreNLP's {@code PTBLexer.flex} at v3.4.1 (the rule is named in the comment) and checked against
 * that tokenizer's output.
 */
class CaptionTokenizerTest {

  private static List<String> tok(String text) {
    return CaptionTokenizer.tokenize(text);
  }

  private static List<String> words(String spaceSeparated) {
    return List.of(spaceSeparated.split(" "));
  }

  @Test
  void ordinaryCaptionLosesCaseAndFinalPeriod() {
    assertEquals(
        words("a man riding a wave on top of a surfboard"),
        tok("A man riding a wave on top of a surfboard."));
  }

  @Test
  void bracketsBecomeLowerCasedBracketTokensThatTheRemovalListMisses() {
    // PTB writes ( ) [ ] { } as -LRB- -RRB- -LSB- -RSB- -LCB- -RCB-; -lowerCase then lower-cases
    // them, and the removal list holds only the upper-case -LRB- -RRB- -LCB- -RCB- (and never
    // -LSB- -RSB-), so in the COCO pipeline every bracket stays as a token.
    assertEquals(
        words("a cat -lrb- on a mat -rrb- -lsb- left -rsb- -lcb- right -rcb-"),
        tok("A cat (on a mat) [left] {right}"));
    // A bracket directly after a colon is a smiley token (PTB's SMILEY rule), brackets included.
    assertEquals(words("smile :-rrb- now"), tok("smile :) now"));
  }

  @Test
  void contractionsSplitAsPtbDoes() {
    // "cannot" -> "can" "not", "gonna" -> "gon" "na" (splitAssimilations, on by default); clitics
    // 's 'm 're 've 'll 'd split off the word (WORD/REDAUX); "n't" splits off a stem that does not
    // end in n (SWORD/SREDAUX), so "can't" gives "ca", "won't" gives "wo".
    assertEquals(
        words("i can not believe it 's gon na rain do n't go"),
        tok("I cannot believe it's gonna rain, don't go"));
    assertEquals(
        words("ca n't wo n't i 'm they 're we 'd you 'll dog 's dogs 't was"),
        tok("can't won't I'm they're we'd you'll dog's dogs' 'twas"));
    assertEquals(
        words("wan na got ta gim me lem me can not"), tok("wanna gotta gimme lemme CANNOT"));
    // Typographic apostrophes split the same way and come out as ASCII ones.
    assertEquals(words("dog 's toy do n't"), tok("Dog\u2019s toy don\u2019t"));
  }

  @Test
  void wordsWithInnerApostrophesStayWhole() {
    // o'clock (THING with the o' prefix), ma'am, 'n', 'til, '90s (APOWORD); y' before a letter is
    // split off (APOWORD2).
    assertEquals(
        words("at 5 o'clock ma'am rock 'n' roll 'til the '90s y' all"),
        tok("at 5 o'clock ma'am rock 'n' roll 'til the '90s y'all"));
  }

  @Test
  void runsOfPunctuationFollowThePtbTokens() {
    // [?!]+ is one token, so "!!" and "?!" are not in the removal list and stay; three dots become
    // "..." and two or four hyphens "--" (removed); five hyphens stay as they are.
    assertEquals(
        words("wow !! really ?! yes no maybe ok ----- end"),
        tok("Wow!! Really?! Yes... no -- maybe - ok ----- end"));
    // Spaced dots ". . ." and the ellipsis character are "..." too; four dots are one "...".
    assertEquals(words("well known and and"), tok("well--known . . . \u2026. and .... and"));
  }

  @Test
  void slashesJoinUpToThreeWords() {
    // THING3: a word, then one or two "/word"; a lone "/" is a token the removal list keeps.
    assertEquals(
        words("black/white and/or a/b/c / d black / white"),
        tok("black/white and/or a/b/c/d black / white"));
    // Fractions: "½" is written 1/2; "1 1/2" is one PTB token with a no-break space, which the
    // CIDEr scorer's split() cuts in two.
    assertEquals(words("1/2 1/2 1 1/2 1-1/2"), tok("1/2 \u00BD 1 1/2 1-1/2"));
  }

  @Test
  void numbersTimesAndHyphenatedWordsStayWhole() {
    // NUMBER keeps 10:30, 3.50, 1,000 and a leading sign; HTHING keeps 2-3 and t-shirt; "a.m." is
    // an initialism with its period; "$" and "," are split off, "," then removed.
    assertEquals(
        words("at 10:30 a.m. 3.50 $ 1,000 people -5 degrees 2-3 dogs 3pm t-shirt"),
        tok("at 10:30 a.m., 3.50 $, 1,000 people, -5 degrees, 2-3 dogs, 3pm t-shirt"));
  }

  @Test
  void abbreviationsKeepTheirPeriod() {
    // ABBREV2 (initialisms and titles) and ABBREV1 (etc.) keep the period in the token.
    assertEquals(
        words("the u.s. flag and mr. smith etc. e.g. a dog"),
        tok("the U.S. flag and Mr. Smith, etc. e.g. a dog"));
    assertEquals(words("mr. smith"), tok("mr. smith"));
    assertEquals(words("st. louis and dog.a cat"), tok("St. Louis and dog.a cat"));
    // A single letter with a period is an initialism too, but an ordinary word is not.
    assertEquals(words("plan b."), tok("plan b."));
    assertEquals(words("a dog"), tok("a dog."));
    // Before a capitalised sentence starter the period is read again as the sentence's end: the
    // initialism keeps it ("u.s." then "."), a single letter loses it.
    assertEquals(words("in the u.s. the end"), tok("in the U.S. The end"));
    assertEquals(words("plan b the end"), tok("plan b. The end"));
    // State abbreviations that are also words need their capital: "La." is one, "la." is not.
    assertEquals(words("in la. today tra la la"), tok("in La. today tra la. la"));
  }

  @Test
  void quotesBecomeLatexQuotesAndAreRemoved() {
    // " before a letter is ``, else ''; ' before a word is `; curly and angle quotes map to the
    // same; all four are in the removal list. The low quote U+201E has no mapping and stays.
    assertEquals(
        words("hello she said quoted x curly single guillemets \u201E low"),
        tok(
            "\"Hello,\" she said 'quoted' ``x'' \u201Ccurly\u201D \u2018single\u2019"
                + " \u00ABguillemets\u00BB \u201Elow"));
  }

  @Test
  void charactersPtbDropsOrRewrites() {
    // Emoji (outside the Basic Multilingual Plane), zero-width spaces and a lone U+2010 hyphen are
    // untokenizable and dropped; a zero-width space still separates words.
    assertEquals(words("emoji here a b x y"), tok("emoji \uD83D\uDE00 here a\u200Bb x \u2010 y"));
    // En and em dashes are "--" (removed); euro becomes "$", pound "#", cent "cents"; other
    // symbols such as the trade mark sign stay.
    assertEquals(
        words("en em $ 5 # 5 5 cents \u2122"),
        tok("en \u2013 em \u2014 \u20AC5 \u00A35 5\u00A2 \u2122"));
    // Tabs, no-break spaces and line breaks separate tokens like spaces.
    assertEquals(words("two tabs and spaces here"), tok("two\ttabs and\u00A0spaces\nhere"));
  }

  @Test
  void symbolsAreTokensThatStay() {
    // THINGA keeps AT&T (capitals only); "&" and "%" are symbols; "#" before a letter makes a
    // hashtag, before a digit it is a token of its own; "_" joins words (THING); "=" stays.
    assertEquals(
        words("at&t r & b 50 % c++ #tag # 1 a_b x = y"), tok("AT&T r&b 50% c++ #tag #1 a_b x = y"));
  }

  @Test
  void blankTextHasNoTokens() {
    assertEquals(List.of(), tok(""));
    assertEquals(List.of(), tok("  \t\n . , ! "));
    assertThrows(NullPointerException.class, () -> CaptionTokenizer.tokenize(null));
  }
}
