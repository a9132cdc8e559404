/**
 * The model and one training step, small enough to read in one sitting: {@link
 * org.mm1lab.core.train.MultimodalModel} (encoder, connector and decoder, image tokens spliced into
 * the text), the next-token loss on text positions only, AdamW with global-norm clipping folded
 * into its update, the learning-rate schedule, and checkpoints that resume a run bit for bit.
 */
package org.mm1lab.core.train;
