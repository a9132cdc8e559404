package org.mm1lab.core.world;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.LongFunction;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/**
 * An infinite source of world examples: example {@code i} is a pure function of {@code i}, so
 * {@link #open(long)} starts anywhere in O(1) and a resumed run sees exactly the same stream.
 * Nothing is ever unreadable, so its {@link BadRecords} stay at zero.
 */
final class WorldSource implements DataSource {

  private final String name;
  private final LongFunction<Example> generator;

  WorldSource(String name, LongFunction<Example> generator) {
    this.name = Objects.requireNonNull(name, "name");
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  @Override
  public String name() {
    return name;
  }

  /** The example at a position, without opening a stream. */
  Example get(long position) {
    return generator.apply(position);
  }

  @Override
  public ExampleStream open(long position) {
    if (position < 0) {
      throw new IllegalArgumentException(
          "position must be >= 0 for source '" + name + "', got " + position);
    }
    BadRecords bad = new BadRecords(name, 0.0);
    return new ExampleStream() {
      private long next = position;

      @Override
      public boolean hasNext() {
        return next < Long.MAX_VALUE;
      }

      @Override
      public Example next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Example example = generator.apply(next++);
        bad.good();
        return example;
      }

      @Override
      public BadRecords badRecords() {
        return bad;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String toString() {
    return "world source " + name;
  }
}
