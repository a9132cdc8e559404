package org.mm1lab.core.data;

import java.util.List;

/**
 * Turns text into token ids and back, with the special tokens the multimodal pipeline needs.
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

  /** The number of ids, special tokens included; the decoder's embedding covers exactly these. */
  int vocabularySize();

  /** The ids of the text, without special tokens. */
  int[] encode(String text);

  /** The text of the ids, special tokens dropped. */
  String decode(int[] ids);

  /** Padding. */
  int padId();

  /** Beginning of sequence. */
  int bosId();

  /** End of sequence. */
  int eosId();

  /** An image slot: one per image token, filled with a connector output. */
  int imageId();

  /** End of chunk, separating in-context examples. */
  int endOfChunkId();

  /** The vocabulary in id order, for inspection. */
  List<String> tokens();

  /**
   * The id that stands for text the vocabulary cannot express ({@code <unk>}, {@code [UNK]} or
   * {@code <|unk|>} by name), or -1 when the tokenizer has none (a byte-level BPE expresses any
   * text).
   */
  default int unknownId() {
    List<String> names = tokens();
    for (String name : List.of("<unk>", "[UNK]", "<|unk|>")) {
      int id = names.indexOf(name);
      if (id >= 0) {
        return id;
      }
    }
    return -1;
  }

  /**
   * Whether a word outside the vocabulary is spelled in single characters, so that a word not held
   * whole is one the model never saw as a word. False for subword tokenizers, which split most
   * words into learned pieces as a matter of course.
   */
  default boolean spellsUnknownWords() {
    return false;
  }
}
