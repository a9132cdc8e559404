/**
 * The batch pipeline: examples from the data mixer become padded token sequences with image slots
 * and loss masks ({@link org.mm1lab.core.pipeline.SequenceBuilder}), images are decoded, resized
 * and normalised on worker threads ({@link org.mm1lab.core.pipeline.ImagePreprocessor}), and whole
 * host-side batches are prepared ahead of the training step ({@link
 * org.mm1lab.core.pipeline.BatchPipeline}), with a position that a checkpoint saves and restores
 * exactly.
 */
package org.mm1lab.core.pipeline;
