package org.mm1lab.core.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mm1lab.api.DataMixer;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/**
 * Decides, sequentially and deterministically, which examples make up each batch: the mixer picks a
 * source per example, the source gives its next example, the builder makes it a sequence. With
 * packing, a row takes sequences until the next one does not fit, and that one starts the next row
 * (it is carried, never cut); without, each row holds one sequence and padding.
 *
 * <p>Only this class touches the mixer and the source streams, so the stream of batches does not
 * depend on how many threads decode images.
 */
final class BatchPlanner implements AutoCloseable {

  /** Consecutive examples with nothing to learn after cutting before the run is stopped. */
  private static final int MAX_CONSECUTIVE_DROPS = 1000;

  private final Map<String, DataSource> sources;
  private final DataMixer mixer;
  private final SequenceBuilder builder;
  private final int batchSize;
  private final boolean packing;
  private final Map<String, DataSource.ExampleStream> streams = new HashMap<>();
  private final Map<String, Long> positions = new HashMap<>();
  private TokenSequence carried;

  BatchPlanner(
      Map<String, DataSource> sources,
      DataMixer mixer,
      SequenceBuilder builder,
      int batchSize,
      boolean packing,
      PipelineState start) {
    this.sources = Map.copyOf(sources);
    this.mixer = mixer;
    this.builder = builder;
    this.batchSize = batchSize;
    this.packing = packing;
    mixer.restoreState(start.mixerState());
    positions.putAll(start.positions());
    if (start.carriedSource() != null) {
      carried = rebuildCarried(start.carriedSource(), start.position(start.carriedSource()));
    }
  }

  /** The sequences of the next batch, row by row, and the stream position after it. */
  Plan next() {
    List<List<TokenSequence>> rows = new ArrayList<>(batchSize);
    for (int row = 0; row < batchSize; row++) {
      List<TokenSequence> sequences = new ArrayList<>();
      int used = 0;
      if (carried != null) {
        sequences.add(carried);
        used = carried.length();
        carried = null;
      } else {
        TokenSequence first = draw();
        sequences.add(first);
        used = first.length();
      }
      while (packing && used < builder.maxLength()) {
        TokenSequence next = draw();
        if (used + next.length() > builder.maxLength()) {
          carried = next;
          break;
        }
        sequences.add(next);
        used += next.length();
      }
      rows.add(sequences);
    }
    PipelineState after =
        new PipelineState(mixer.saveState(), positions, carried == null ? null : carried.source());
    return new Plan(rows, after);
  }

  private TokenSequence draw() {
    for (int attempt = 0; attempt < MAX_CONSECUTIVE_DROPS; attempt++) {
      String name = mixer.nextSource();
      Example example = stream(name).next();
      positions.merge(name, 1L, Long::sum);
      Optional<TokenSequence> sequence = builder.build(example, name);
      if (sequence.isPresent()) {
        return sequence.get();
      }
    }
    throw new UserException(
        MAX_CONSECUTIVE_DROPS
            + " examples in a row had no text left after cutting them to mm1.train.seq-len = "
            + builder.maxLength()
            + "; raise seq-len or use fewer image tokens");
  }

  private DataSource.ExampleStream stream(String name) {
    DataSource.ExampleStream stream = streams.get(name);
    if (stream == null) {
      DataSource source = sources.get(name);
      if (source == null) {
        throw new UserException(
            "the mixer chose data source '"
                + name
                + "', which the run does not define; known: "
                + sources.keySet());
      }
      stream = source.open(positions.getOrDefault(name, 0L));
      streams.put(name, stream);
    }
    return stream;
  }

  /** Re-reads the example a checkpoint left carried: the last one consumed from its source. */
  private TokenSequence rebuildCarried(String name, long position) {
    DataSource source = sources.get(name);
    if (source == null || position < 1) {
      throw new UserException(
          "the checkpoint's data position names source '"
              + name
              + "', which this run does not"
              + " define at that position; resume with the run's original data configuration");
    }
    try (DataSource.ExampleStream stream = source.open(position - 1)) {
      return builder
          .build(stream.next(), name)
          .orElseThrow(() -> new IllegalStateException("a carried example had no targets"));
    }
  }

  /** Bad records the source streams skipped so far, per source. */
  Map<String, Long> badRecords() {
    Map<String, Long> bad = new HashMap<>();
    streams.forEach((name, stream) -> bad.put(name, stream.badRecords().bad()));
    return bad;
  }

  @Override
  public void close() {
    for (DataSource.ExampleStream stream : streams.values()) {
      stream.close();
    }
    streams.clear();
  }

  /**
   * One planned batch.
   *
   * @param rows the sequences of each row, in order
   * @param stateAfter the stream position after this batch
   */
  record Plan(List<List<TokenSequence>> rows, PipelineState stateAfter) {}
}
