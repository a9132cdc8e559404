package org.mm1lab.api;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A decoder-only language model over token ids in which image-slot positions are filled with
 * connector outputs before the first block. It is a {@link Block} so that the host can initialise,
 * train, save and load its parameters; the typed {@link #decode} is its forward contract.
 *
 * @since 1.0
 */
public interface Decoder extends Block {

  /** The hidden width {@code D_llm}; connectors must produce vectors of this width. */
  int width();

  /** The number of token ids the embedding and output head cover. */
  int vocabularySize();

  /**
   * Runs the decoder.
   *
   * <p>Without a cache this is a full forward pass over {@code L} positions with causal attention.
   * With a cache, the {@code L} new positions follow the {@link KeyValueCache#length()} cached ones
   * (positions and the causal mask continue from there), attend to them and are appended to the
   * cache; the logits equal those of a full pass over the whole sequence.
   *
   * @param parameterStore where the parameters live
   * @param input the batch; see {@link DecoderInput} for shapes
   * @param cache {@code null} for a full pass, or a cache from {@link #newCache}
   * @param training whether train-time behaviour applies
   * @return logits for the {@code L} input positions (or for the input's {@link
   *     DecoderInput#logitPositions} alone), auxiliary losses and statistics
   */
  DecoderOutput decode(
      ParameterStore parameterStore, DecoderInput input, KeyValueCache cache, boolean training);

  /**
   * Creates an empty key/value cache for incremental decoding. Experimental, as {@link
   * KeyValueCache} is: what a cache is created with may grow.
   *
   * @param manager owns the cached arrays; closing it releases them
   * @param batchSize rows decoded together
   */
  @Experimental
  KeyValueCache newCache(NDManager manager, int batchSize);

  /**
   * Loads pretrained weights named by this component's own options (a {@code checkpoint} file, say)
   * into its parameters. The host calls it once per run, after {@link Block#initialize} and before
   * training or generation; it is skipped when the run resumes from one of its own checkpoints,
   * which hold every parameter anyway.
   *
   * @param manager temporaries of the load live in a sub-manager of it
   * @return whether weights were loaded ({@code false}, the default, when none are configured)
   * @throws java.io.UncheckedIOException when the configured file cannot be read
   * @throws RuntimeException when the file does not fit this component's sizes, with a message
   *     listing every missing, unexpected and mis-shaped tensor (the plugin toolkit's {@code
   *     WeightMismatchException} is one)
   */
  default boolean loadPretrained(NDManager manager) {
    return false;
  }
}
