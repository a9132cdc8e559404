package org.mm1lab.core.pretrain;

/**
 * Receives the logged points of encoder pretraining (every {@code mm1.pretrain.log-every} steps).
 */
@FunctionalInterface
public interface PretrainListener {

  /** Called on the training thread after a logged step. */
  void logged(PretrainProgress progress);
}
