package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.DataMixerContract;

/** The built-in weighted mixer passes the third-party mixer contract. */
class WeightedMixerContractTest extends DataMixerContract {

  @Override
  protected DataMixerFactory factory() {
    return new WeightedMixerFactory();
  }

  @Override
  protected String options() {
    return "sources { captioned = 45, interleaved = 45, text = 10 }";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(
        BadOption.of("sources.text", "0", "remove the entry"),
        BadOption.of("sources.text", "-1", "negative"));
  }
}
