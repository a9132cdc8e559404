package org.mm1lab.core.train;

import org.mm1lab.core.config.TrainSettings.LossScaling;

/**
 * Dynamic loss scaling for float16 training (Micikevicius et al., "Mixed Precision Training",
 * 2018), with the policy of PyTorch's {@code torch.cuda.amp.GradScaler}. Gradients in float16 below
 * about {@code 6e-8} vanish; multiplying the loss by a large scale before the backward pass lifts
 * them into range, and dividing the float32 gradients by it afterwards gives the true ones. Too
 * large a scale overflows instead: a step whose gradients hold an infinity or a NaN is skipped and
 * the scale lowered; a long enough run of steps without overflow raises it again, so that it stays
 * near the largest scale that does not overflow.
 *
 * <p>Its state (the scale, the good steps in a row, the skipped steps so far) goes into every
 * checkpoint, so that a resumed run scales as an uninterrupted one would. Not thread-safe.
 */
public final class LossScaler {

  private final double growthFactor;
  private final double backoffFactor;
  private final int growthInterval;
  private double scale;
  private int goodSteps;
  private long skippedSteps;

  /** A scaler at the settings' initial scale, no step seen. */
  public LossScaler(LossScaling settings) {
    this.growthFactor = settings.growthFactor();
    this.backoffFactor = settings.backoffFactor();
    this.growthInterval = settings.growthInterval();
    this.scale = settings.initialScale();
  }

  /** The scale the next step multiplies its loss by. */
  public double scale() {
    return scale;
  }

  /** Steps skipped so far because their gradients overflowed. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /**
   * Records a step's outcome and adapts the scale: lowered by the backoff factor after an overflow
   * (which restarts the count of good steps), raised by the growth factor after {@code
   * growth-interval} good steps in a row.
   *
   * @param overflowed whether the step's gradients held an infinity or a NaN (and it was skipped)
   */
  public void update(boolean overflowed) {
    if (overflowed) {
      scale *= backoffFactor;
      goodSteps = 0;
      skippedSteps++;
      return;
    }
    goodSteps++;
    if (goodSteps >= growthInterval) {
      scale *= growthFactor;
      goodSteps = 0;
    }
  }

  /** The state a checkpoint keeps. */
  public State state() {
    return new State(scale, goodSteps, skippedSteps);
  }

  /** Continues from a checkpoint's state. */
  public void restore(State state) {
    this.scale = state.scale();
    this.goodSteps = state.goodSteps();
    this.skippedSteps = state.skippedSteps();
  }

  /**
   * Where a scaler stands.
   *
   * @param scale the scale of the next step, positive
   * @param goodSteps steps without overflow since the scale last changed
   * @param skippedSteps steps skipped so far
   */
  public record State(double scale, int goodSteps, long skippedSteps) {

    /** Checks the values a checkpoint may hold. */
    public State {
      if (!(scale > 0) || Double.isInfinite(scale) || goodSteps < 0 || skippedSteps < 0) {
        throw new IllegalArgumentException(
            "not a loss scaler's state: scale "
                + scale
                + ", good steps "
                + goodSteps
                + ", skipped steps "
                + skippedSteps);
      }
    }
  }
}
