package org.mm1lab.core.world;

import java.util.List;
import java.util.SplittableRandom;

/** Small helpers for writing world text that the world tokenizer round-trips. */
final class Words {

  private static final List<String> NUMBERS =
      List.of(
          "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

  private Words() {}

  /** {@code zero} to {@code ten} in words; larger numbers in digits. */
  static String number(int n) {
    return n >= 0 && n < NUMBERS.size() ? NUMBERS.get(n) : Integer.toString(n);
  }

  /** The largest number written in words. */
  static int maxWordNumber() {
    return NUMBERS.size() - 1;
  }

  /** {@code a} or {@code an} for the word that follows. */
  static String article(String next) {
    return "aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : "a";
  }

  /** {@code a red circle} or {@code an orange star}. */
  static String withArticle(String phrase) {
    return article(phrase) + " " + phrase;
  }

  /** {@code x}, {@code x and y}, {@code x, y and z}. */
  static String list(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }

  /** One of the options, uniformly. */
  @SafeVarargs
  static <T> T pick(SplittableRandom rng, T... options) {
    return options[rng.nextInt(options.length)];
  }

  /** One of the options, uniformly. */
  static <T> T pick(SplittableRandom rng, List<T> options) {
    return options.get(rng.nextInt(options.size()));
  }

  /** The sentence with its first word unchanged (the world is lower-case) and a final stop. */
  static String sentence(String text) {
    return text.endsWith(".") || text.endsWith("?") || text.endsWith(":") ? text : text + ".";
  }
}
