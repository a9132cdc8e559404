package org.mm1lab.core.pretrain;

import ai.djl.Device;
import org.mm1lab.core.run.ThreadPolicy;

/**
 * Receives the logged points of encoder pretraining (every {@code mm1.pretrain.log-every} steps).
 */
@FunctionalInterface
public interface PretrainListener {

  /** Called once before the first step with the compute threads chosen for this machine. */
  default void started(ThreadPolicy.Choice threads) {}

  /**
   * Called once before the first step with the device the encoder trains on and the compute threads
   * chosen for this machine; by default {@link #started(ThreadPolicy.Choice)}.
   */
  default void started(Device device, ThreadPolicy.Choice threads) {
    started(threads);
  }

  /** Called on the training thread after a logged step. */
  void logged(PretrainProgress progress);
}
