package org.mm1lab.core.data;

import java.util.Iterator;

/**
 * A named, streaming source of training examples of one kind. Streams are re-openable at a position
 * so that a resumed run sees the same examples: {@code open(n)} yields what {@code open(0)} yields
 * after skipping {@code n} examples. Sources that run out wrap around (epochs).
 */
public interface DataSource {

  /** The source's name in the run (for example {@code captioned}). */
  String name();

  /**
   * Opens the stream at a position.
   *
   * @param position examples already consumed (across epochs)
   */
  ExampleStream open(long position);

  /** An open stream; close it to release files. */
  interface ExampleStream extends Iterator<Example>, AutoCloseable {

    /** What was skipped so far as unreadable. */
    BadRecords badRecords();

    @Override
    void close();
  }
}
