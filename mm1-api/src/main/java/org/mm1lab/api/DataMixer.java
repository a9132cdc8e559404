package org.mm1lab.api;

/**
 * Decides which named data source each training example comes from.
 *
 * <p>The stream of decisions must be a pure function of the seed, the options and the position, so
 * that two runs with the same config see the same data, and a resumed run continues the exact
 * stream: after {@code restoreState(saveState())} on a fresh mixer, {@link #nextSource()} returns
 * what the original would have returned next.
 *
 * @since 1.0
 */
public interface DataMixer {

  /**
   * The source of the next example.
   *
   * @return a name from {@link MixerContext#sourceNames()}
   */
  String nextSource();

  /** The mixer's position, as a short string the host stores in checkpoints. */
  String saveState();

  /**
   * Moves the mixer to a position saved by {@link #saveState()}.
   *
   * @throws IllegalArgumentException if the state was not written by a mixer of this type
   */
  void restoreState(String state);
}
