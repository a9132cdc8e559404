package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;

/**
 * {@code type = schedule}: a fixed, repeating order of sources. Options: {@code order} (a non-empty
 * list of source names; a name may repeat to weight it). See {@link ScheduleMixer}.
 */
public final class ScheduleMixerFactory implements DataMixerFactory {

  /** The example written into messages. */
  static final String EXAMPLE = "order = [captioned, captioned, interleaved, text]";

  @Override
  public String name() {
    return ScheduleMixer.NAME;
  }

  @Override
  public String description() {
    return "Cycles through a fixed list of sources, example by example; no randomness.";
  }

  @Override
  public DataMixer create(Options options, MixerContext context) {
    List<String> order = options.getStringList("order");
    if (order.isEmpty()) {
      throw options.invalid(
          "order",
          "no sources given; list at least one source, e.g. "
              + EXAMPLE
              + " (known sources: "
              + String.join(", ", context.sourceNames())
              + ")");
    }
    for (String name : order) {
      SourceNames.requireKnown(options, "order", name, context);
    }
    return new ScheduleMixer(order);
  }
}
