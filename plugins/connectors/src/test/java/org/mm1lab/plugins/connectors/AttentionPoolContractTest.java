package org.mm1lab.plugins.connectors;

import java.util.List;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.VLConnectorContract;

/** The built-in attention-pooling connector passes the third-party connector contract. */
class AttentionPoolContractTest extends VLConnectorContract {

  @Override
  protected VLConnectorFactory factory() {
    return new AttentionPoolConnectorFactory();
  }

  @Override
  protected String options() {
    return "tokens = 4, heads = 2";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(BadOption.of("heads", "3", "divide"));
  }
}
