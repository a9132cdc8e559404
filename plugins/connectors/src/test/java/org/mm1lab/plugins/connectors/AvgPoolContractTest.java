package org.mm1lab.plugins.connectors;

import java.util.List;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.VLConnectorContract;

/** The built-in average-pooling connector passes the third-party connector contract. */
class AvgPoolContractTest extends VLConnectorContract {

  @Override
  protected VLConnectorFactory factory() {
    return new AvgPoolConnectorFactory();
  }

  @Override
  protected String options() {
    return "tokens = 4";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(
        BadOption.of("tokens", "5", "is not a positive perfect square"),
        BadOption.of("tokens", "25", "larger than the encoder's"));
  }
}
