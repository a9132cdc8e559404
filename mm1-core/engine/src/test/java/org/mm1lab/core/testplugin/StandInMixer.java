package org.mm1lab.core.testplugin;

import java.util.List;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/** Cycles through the configured sources in order. */
public final class StandInMixer implements DataMixer {

  private final List<String> order;
  private long position;

  StandInMixer(List<String> order) {
    this.order = order;
  }

  @Override
  public String nextSource() {
    return order.get((int) (position++ % order.size()));
  }

  @Override
  public String saveState() {
    return Long.toString(position);
  }

  @Override
  public void restoreState(String state) {
    position = Long.parseLong(state);
  }

  /** {@code stand-in-mixer}: option order, a list of source names. */
  public static final class Factory implements DataMixerFactory {
    @Override
    public String name() {
      return "stand-in-mixer";
    }

    @Override
    public DataMixer create(Options options, MixerContext context) {
      List<String> order = options.getStringList("order");
      for (String source : order) {
        if (!context.sourceNames().contains(source)) {
          throw options.invalid(
              "order", "'" + source + "' is not a data source; known: " + context.sourceNames());
        }
      }
      if (order.isEmpty()) {
        throw options.invalid("order", "name at least one source");
      }
      return new StandInMixer(order);
    }
  }
}
