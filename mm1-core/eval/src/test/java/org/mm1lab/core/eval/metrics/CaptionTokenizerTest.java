package org.mm1lab.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionTokenizerTest {

  @Test
  void lowerCasesAndDropsSentencePunctuation() {
    assertEquals(
        List.of("a", "man", "riding", "a", "wave", "on", "top", "of", "a", "surfboard"),
        CaptionTokenizer.tokenize("A man riding a wave on top of a surfboard."));
    assertEquals(
        List.of("is", "it", "red", "or", "blue"),
        CaptionTokenizer.tokenize("Is it red; or blue?!"));
  }

  @Test
  void splitsCliticsAsPtbDoes() {
    // PTB: "dog's" -> "dog 's", "isn't" -> "is n't", "can't" -> "ca n't"; o'clock stays whole.
    assertEquals(
        List.of("the", "dog", "'s", "toy", "is", "n't", "red"),
        CaptionTokenizer.tokenize("The dog's toy isn't red"));
    assertEquals(List.of("ca", "n't"), CaptionTokenizer.tokenize("can't"));
    assertEquals(List.of("at", "5", "o'clock"), CaptionTokenizer.tokenize("at 5 o'clock"));
    // Typographic apostrophes are treated like ASCII ones.
    assertEquals(List.of("dog", "'s"), CaptionTokenizer.tokenize("Dog\u2019s"));
  }

  @Test
  void keepsNumbersAndHyphenatedWordsWholeAndSymbolsAsTokens() {
    assertEquals(
        List.of("a", "t-shirt", "costs", "$", "3.50", "or", "1,000", "yen"),
        CaptionTokenizer.tokenize("A t-shirt costs $3.50, or 1,000 yen."));
  }

  @Test
  void dropsBracketsQuotesAndDashes() {
    assertEquals(
        List.of("a", "cat", "quoted", "on", "a", "mat"),
        CaptionTokenizer.tokenize("a cat (\"quoted\") -- on a \u201cmat\u201d - ..."));
    assertEquals(List.of("dog", "cat"), CaptionTokenizer.tokenize("dog--cat"));
  }

  @Test
  void blankTextHasNoTokens() {
    assertEquals(List.of(), CaptionTokenizer.tokenize(""));
    assertEquals(List.of(), CaptionTokenizer.tokenize("  \t\n . , ! "));
    assertThrows(NullPointerException.class, () -> CaptionTokenizer.tokenize(null));
  }
}
