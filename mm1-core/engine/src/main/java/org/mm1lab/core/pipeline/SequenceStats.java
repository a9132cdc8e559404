package org.mm1lab.core.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sequence builder had to cut to fit {@code seq-len}, so that nothing is dropped silently:
 * the trainer reports these counts. Thread-safe.
 */
public final class SequenceStats {

  private final AtomicLong examples = new AtomicLong();
  private final AtomicLong truncatedExamples = new AtomicLong();
  private final AtomicLong tokensCut = new AtomicLong();
  private final AtomicLong imagesCut = new AtomicLong();
  private final AtomicLong droppedExamples = new AtomicLong();

  void example() {
    examples.incrementAndGet();
  }

  void truncated(int tokens, int images) {
    truncatedExamples.incrementAndGet();
    tokensCut.addAndGet(tokens);
    imagesCut.addAndGet(images);
  }

  void dropped() {
    droppedExamples.incrementAndGet();
  }

  /** Examples built. */
  public long examples() {
    return examples.get();
  }

  /** Examples cut at {@code seq-len}. */
  public long truncatedExamples() {
    return truncatedExamples.get();
  }

  /** Tokens cut away in total (image slots included). */
  public long tokensCut() {
    return tokensCut.get();
  }

  /** Images cut away in total. */
  public long imagesCut() {
    return imagesCut.get();
  }

  /** Examples left without any text to learn from after cutting, and so not used. */
  public long droppedExamples() {
    return droppedExamples.get();
  }

  @Override
  public String toString() {
    return String.format(
        "%d examples, %d truncated at seq-len (%d tokens and %d images cut), %d dropped",
        examples(), truncatedExamples(), tokensCut(), imagesCut(), droppedExamples());
  }
}
