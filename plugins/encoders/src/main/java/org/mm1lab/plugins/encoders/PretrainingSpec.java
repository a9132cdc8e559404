package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderObjective;

/**
 * The validated options of a ViT's pretraining objective, read by the factory together with the
 * encoder's own options and kept by the {@link VisionTransformer} until {@code mm1
 * pretrain-encoder} asks for the objective. Building the objective allocates nothing: it is an
 * uninitialised block.
 */
interface PretrainingSpec {

  /**
   * A new objective for {@code encoder}.
   *
   * @param encoder the encoder it will pretrain; the objective takes its sizes from it
   * @param vocabularySize the caption vocabulary size (ignored by objectives without text)
   * @throws IllegalArgumentException when {@code vocabularySize} does not suit the objective
   */
  EncoderObjective build(VisionTransformer encoder, int vocabularySize);
}
