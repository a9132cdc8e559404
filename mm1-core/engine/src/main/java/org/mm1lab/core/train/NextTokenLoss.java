package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.mm1lab.toolkit.arrays.Precision;

/**
 * The language-modelling loss the paper trains with: cross-entropy of the next token, averaged over
 * the positions whose label is text ({@code lossMask} 1); image slots, padding and the token before
 * a beginning-of-sequence carry no loss.
 */
public final class NextTokenLoss {

  private NextTokenLoss() {}

  /**
   * The mean masked cross-entropy.
   *
   * @param logits {@code (B, L, V)}
   * @param labels {@code (B, L)} int ids of the next token
   * @param lossMask {@code (B, L)} float, 1 where the label counts
   * @return a scalar; 0 when no label counts
   */
  public static NDArray compute(NDArray logits, NDArray labels, NDArray lossMask) {
    return compute(logits, labels, lossMask, null);
  }

  /**
   * The positions whose label counts, for {@link org.mm1lab.api.DecoderInput#logitPositions}: the
   * only logits the loss reads.
   *
   * @param lossMask {@code (B, L)} float, 1 where the label counts
   * @return {@code (N)} int64 indices into the {@code B * L} positions in increasing order, or
   *     {@code null} when no label counts (the loss is then 0 and any logits will do)
   */
  public static NDArray targetPositions(NDArray lossMask) {
    NDArray positions = lossMask.reshape(-1).gt(0f).nonzero();
    if (positions.getShape().get(0) == 0) {
      return null;
    }
    return positions.reshape(-1);
  }

  /**
   * The mean masked cross-entropy of logits computed for every position or, when the decoder
   * honoured a list of positions, for those alone.
   *
   * @param logits {@code (B, L, V)}, or {@code (N, V)} for the {@code targetPositions}
   * @param labels {@code (B, L)} int ids of the next token
   * @param lossMask {@code (B, L)} float, 1 where the label counts
   * @param targetPositions {@code (N)} from {@link #targetPositions}, or {@code null}; required
   *     when the logits are {@code (N, V)}
   * @return a scalar; 0 when no label counts
   */
  public static NDArray compute(
      NDArray logits, NDArray labels, NDArray lossMask, NDArray targetPositions) {
    if (logits.getShape().dimension() == 2) {
      if (targetPositions == null
          || targetPositions.getShape().get(0) != logits.getShape().get(0)) {
        throw new IllegalArgumentException(
            "logits "
                + logits.getShape()
                + " are per listed position, but the positions are "
                + (targetPositions == null ? "missing" : targetPositions.getShape().toString()));
      }
      // every listed position has a target, so the masked mean is a plain mean
      return logProbabilityOf(logits, labels.reshape(-1).get(targetPositions)).mean().neg();
    }
    NDArray picked = logProbabilityOf(logits, labels);
    NDArray mask = lossMask.toType(DataType.FLOAT32, false);
    NDArray count = mask.sum().maximum(1f);
    // Select rather than multiply: a position without a target may hold -inf (say, a logit of a
    // padding row), and -inf * 0 is NaN, which would poison the whole loss and every gradient.
    NDArray counted = NDArrays.where(mask.gt(0f), picked, picked.zerosLike());
    return counted.sum().neg().div(count);
  }

  /**
   * The log-probability of each label under the logits: {@code (..., V)} and {@code (...)}, in
   * float32 whatever the logits' type (float16 in mixed-precision training).
   */
  private static NDArray logProbabilityOf(NDArray logits, NDArray labels) {
    return Precision.toFloat32(logits)
        .logSoftmax(-1)
        .gather(labels.toType(DataType.INT64, false).expandDims(-1), -1)
        .squeeze(-1);
  }
}
