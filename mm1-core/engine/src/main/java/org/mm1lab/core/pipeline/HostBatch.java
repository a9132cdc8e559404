package org.mm1lab.core.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One training batch in plain Java arrays, built off the training thread; {@link
 * #inputs(NDManager)} turns it into arrays on the trainer's manager. Row-major {@code (B, L)}
 * layouts throughout.
 *
 * <ul>
 *   <li>{@code tokens}: ids, padding = the tokenizer's pad id;
 *   <li>{@code attentionMask}: 1 for real tokens, 0 for padding;
 *   <li>{@code imageSlots}: 1 at image-slot positions;
 *   <li>{@code labels}: the id the position must predict (the next token), 0 where none;
 *   <li>{@code lossMask}: 1 where the label is a text target, else 0;
 *   <li>{@code pixels}: the {@code images} preprocessed images, {@code (M, 3, S, S)}, in the
 *       row-major order of their slots.
 * </ul>
 */
public final class HostBatch {

  final int batchSize;
  final int sequenceLength;
  final int[] tokens;
  final int[] attentionMask;
  final int[] imageSlots;
  final int[] labels;
  final float[] lossMask;
  final int images;
  final int imageSize;
  final float[] pixels;
  final PipelineState stateAfter;
  int badImages;

  HostBatch(
      int batchSize, int sequenceLength, int images, int imageSize, PipelineState stateAfter) {
    this.batchSize = batchSize;
    this.sequenceLength = sequenceLength;
    int n = batchSize * sequenceLength;
    this.tokens = new int[n];
    this.attentionMask = new int[n];
    this.imageSlots = new int[n];
    this.labels = new int[n];
    this.lossMask = new float[n];
    this.images = images;
    this.imageSize = imageSize;
    this.pixels = new float[images * 3 * imageSize * imageSize];
    this.stateAfter = stateAfter;
  }

  /** Rows. */
  public int batchSize() {
    return batchSize;
  }

  /** Positions per row. */
  public int sequenceLength() {
    return sequenceLength;
  }

  /** Images in the batch. */
  public int imageCount() {
    return images;
  }

  /** The stream position after this batch, for checkpoints. */
  public PipelineState stateAfter() {
    return stateAfter;
  }

  /** Images that could not be decoded; their rows carry no loss. */
  public int badImages() {
    return badImages;
  }

  /** Real (non-padding) positions. */
  public long realTokens() {
    long count = 0;
    for (int m : attentionMask) {
      count += m;
    }
    return count;
  }

  /** Positions that are loss targets. */
  public long targetTokens() {
    long count = 0;
    for (float m : lossMask) {
      count += m > 0 ? 1 : 0;
    }
    return count;
  }

  /** The batch as arrays attached to {@code manager}; close the manager to free them. */
  public Inputs inputs(NDManager manager) {
    Shape shape = new Shape(batchSize, sequenceLength);
    NDArray slots = images == 0 ? null : manager.create(imageSlots, shape);
    NDArray pixelArray =
        images == 0 ? null : manager.create(pixels, new Shape(images, 3, imageSize, imageSize));
    return new Inputs(
        manager.create(tokens, shape),
        manager.create(attentionMask, shape),
        slots,
        pixelArray,
        manager.create(labels, shape),
        manager.create(lossMask, shape));
  }

  /**
   * The batch on the engine.
   *
   * @param tokens {@code (B, L)} int32
   * @param attentionMask {@code (B, L)} int32
   * @param imageSlots {@code (B, L)} int32, null without images
   * @param pixels {@code (M, 3, S, S)} float32, null without images
   * @param labels {@code (B, L)} int32
   * @param lossMask {@code (B, L)} float32
   */
  public record Inputs(
      NDArray tokens,
      NDArray attentionMask,
      NDArray imageSlots,
      NDArray pixels,
      NDArray labels,
      NDArray lossMask) {}
}
