/**
 * Encoder pretraining, {@code mm1 pretrain-encoder}: the run's image encoder trained alone with its
 * own {@link org.mm1lab.api.EncoderObjective} on image-caption pairs, and saved so that a
 * multimodal run loads it with the encoder's {@code checkpoint} option. {@link
 * org.mm1lab.core.pretrain.PretrainRun} is the entry point.
 */
package org.mm1lab.core.pretrain;
