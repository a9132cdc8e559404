package org.mm1lab.core.run;

/**
 * Where a training continues: from the run folder's newest checkpoint (the default), from an older
 * one ({@code --from-checkpoint}), or from step 0 ({@code --restart}). The last two move the
 * checkpoints they pass over, and a copy of the metrics log, into the run's {@code set-aside/}
 * folder rather than deleting them.
 *
 * @param restart whether to start over from step 0
 * @param fromStep the checkpoint's step to continue from, or -1
 */
public record Resume(boolean restart, int fromStep) {

  /** From the newest checkpoint, which must be complete and intact. */
  public static final Resume NEWEST = new Resume(false, -1);

  /** From step 0, the checkpoints set aside. */
  public static final Resume RESTART = new Resume(true, -1);

  /** Checks the combination. */
  public Resume {
    if (restart && fromStep >= 0) {
      throw new IllegalArgumentException("restart and a checkpoint to continue from");
    }
  }

  /** From the checkpoint written after {@code step} steps, the newer ones set aside. */
  public static Resume from(int step) {
    if (step < 0) {
      throw new IllegalArgumentException("a checkpoint step is not negative: " + step);
    }
    return new Resume(false, step);
  }
}
