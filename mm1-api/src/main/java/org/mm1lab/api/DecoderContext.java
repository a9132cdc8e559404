package org.mm1lab.api;

/**
 * What a {@link DecoderFactory} must fit.
 *
 * @param seed the run's seed
 * @param vocabularySize the tokenizer's vocabulary size, including special tokens
 * @param maxSequenceLength the longest sequence the run will feed, in tokens (text plus image
 *     slots); position tables must cover at least this many
 * @since 1.0
 */
public record DecoderContext(long seed, int vocabularySize, int maxSequenceLength) {

  public DecoderContext {
    if (vocabularySize < 1 || maxSequenceLength < 1) {
      throw new IllegalArgumentException(
          "vocabularySize and maxSequenceLength must be positive, got "
              + vocabularySize
              + " and "
              + maxSequenceLength);
    }
  }
}
