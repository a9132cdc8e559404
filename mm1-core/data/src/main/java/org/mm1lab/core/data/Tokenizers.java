package org.mm1lab.core.data;

import java.nio.file.Path;

/** Picks the run's tokenizer from {@code mm1.data.tokenizer}. */
public final class Tokenizers {

  private Tokenizers() {}

  /**
   * The tokenizer a setting names.
   *
   * @param setting {@code world}, or the path of a Hugging Face {@code tokenizer.json}
   */
  public static Tokenizer load(String setting) {
    if (setting.equals("world")) {
      return new WorldTokenizer();
    }
    return HuggingFaceTokenizerAdapter.load(Path.of(setting));
  }
}
