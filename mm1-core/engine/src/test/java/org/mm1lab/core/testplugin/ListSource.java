package org.mm1lab.core.testplugin;

import java.util.List;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/** A data source over a fixed list, wrapping around at its end. */
public final class ListSource implements DataSource {

  private final String name;
  private final List<Example> examples;

  public ListSource(String name, List<Example> examples) {
    this.name = name;
    this.examples = List.copyOf(examples);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExampleStream open(long position) {
    return new ExampleStream() {
      private long next = position;
      private final BadRecords bad = new BadRecords(name, 1.0);

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Example next() {
        bad.good();
        return examples.get((int) (next++ % examples.size()));
      }

      @Override
      public BadRecords badRecords() {
        return bad;
      }

      @Override
      public void close() {}
    };
  }
}
