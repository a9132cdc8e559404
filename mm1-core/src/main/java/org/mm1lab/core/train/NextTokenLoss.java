package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * The language-modelling loss the paper trains with: cross-entropy of the next token, averaged over
 * the positions whose label is text ({@code lossMask} 1); image slots, padding and the token
 * before a beginning-of-sequence carry no loss.
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
    NDArray logProbabilities = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
    NDArray picked =
        logProbabilities
            .gather(labels.toType(DataType.INT64, false).expandDims(-1), -1)
            .squeeze(-1);
    NDArray mask = lossMask.toType(DataType.FLOAT32, false);
    NDArray count = mask.sum().maximum(1f);
    // Select rather than multiply: a position without a target may hold -inf (say, a logit of a
    // padding row), and -inf * 0 is NaN, which would poison the whole loss and every gradient.
    NDArray counted = NDArrays.where(mask.gt(0f), picked, picked.zerosLike());
    return counted.sum().neg().div(count);
  }
}
