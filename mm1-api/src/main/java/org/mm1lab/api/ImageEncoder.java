package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * An image encoder: a {@link Block} that turns normalised pixels into patch features.
 *
 * <p>Shape contract of {@link Block#forward(ParameterStore, NDList, boolean)}:
 *
 * <ul>
 *   <li>input: one float array {@code (B, 3, H, W)} with {@code H = W = }{@link #imageSize()},
 *       normalised as the encoder expects;
 *   <li>output: one float array {@code (B, N, D_enc)} with {@code N = outputGrid().patches()} and
 *       {@code D_enc = outputGrid().channels()}, patches in raster order.
 * </ul>
 *
 * @since 1.0
 */
public interface ImageEncoder extends Block {

  /** The side length in pixels of the square images this encoder takes. */
  int imageSize();

  /** The layout of the patch features this encoder produces. */
  PatchGrid outputGrid();

  /**
   * Encodes a batch of images.
   *
   * @param parameterStore where the parameters live (for multi-device training)
   * @param pixels {@code (B, 3, H, W)} float
   * @param training whether dropout and similar train-time behaviour apply
   * @return {@code (B, N, D_enc)} patch features
   */
  default NDArray encode(ParameterStore parameterStore, NDArray pixels, boolean training) {
    return forward(parameterStore, new NDList(pixels), training).singletonOrThrow();
  }

  /**
   * Builds the objective that pretrains this encoder ({@code mm1 pretrain-encoder}): a new,
   * uninitialised {@link EncoderObjective} whose sizes follow this encoder's and its own options
   * (read by the factory from the encoder's configuration section). Called only when pretraining,
   * once per run.
   *
   * @param vocabularySize the number of caption token ids the host's tokenizer produces (ids lie in
   *     {@code [0, vocabularySize)}); objectives that read no captions ignore it
   * @return a new objective
   * @throws UnsupportedOperationException when this encoder has no pretraining objective (the
   *     default)
   * @throws IllegalArgumentException when {@code vocabularySize} does not suit the objective
   */
  default EncoderObjective pretrainingObjective(int vocabularySize) {
    throw new UnsupportedOperationException("this encoder has no pretraining objective");
  }

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
