package org.mm1lab.core.pipeline;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the data stream stands between two batches: the mixer's state, how many examples each
 * source has given, and which source's last example was drawn but carried over to the next row
 * (packing). Stored in checkpoints; restoring it replays the exact stream.
 *
 * @param mixerState {@link org.mm1lab.api.DataMixer#saveState()}
 * @param positions examples consumed per source
 * @param carriedSource the source whose last consumed example starts the next row, or null
 */
public record PipelineState(String mixerState, Map<String, Long> positions, String carriedSource) {

  public PipelineState {
    positions = Map.copyOf(new TreeMap<>(positions));
  }

  /** The start of a stream. */
  public static PipelineState start(String mixerState) {
    return new PipelineState(mixerState, Map.of(), null);
  }

  /** The position of one source (0 when it has given nothing yet). */
  public long position(String source) {
    return positions.getOrDefault(source, 0L);
  }
}
