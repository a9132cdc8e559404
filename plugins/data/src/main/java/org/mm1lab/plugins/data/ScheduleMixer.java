package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.DataMixer;

/**
 * Cycles through a fixed list of sources, example by example: with {@code order = [captioned,
 * captioned, interleaved, text]} the stream is captioned, captioned, interleaved, text, captioned,
 * ... No randomness is involved, so the seed does not matter; the state is the number of examples
 * drawn ({@code schedule:<n>}). Not thread-safe.
 */
final class ScheduleMixer implements DataMixer {

  /** This mixer's name, also the tag of its saved states. */
  static final String NAME = "schedule";

  private final List<String> order;
  private long position;

  /**
   * @param order the cycle, non-empty, every entry a known source
   */
  ScheduleMixer(List<String> order) {
    this.order = List.copyOf(order);
  }

  @Override
  public String nextSource() {
    return order.get((int) (position++ % order.size()));
  }

  @Override
  public String saveState() {
    return MixerState.format(NAME, position);
  }

  @Override
  public void restoreState(String state) {
    position = MixerState.parse(NAME, state);
  }
}
