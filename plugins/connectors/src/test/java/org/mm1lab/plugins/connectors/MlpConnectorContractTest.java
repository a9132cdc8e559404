package org.mm1lab.plugins.connectors;

import java.util.List;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.VLConnectorContract;

/** The built-in MLP connector (LLaVA-1.5's projector) passes the third-party connector contract. */
class MlpConnectorContractTest extends VLConnectorContract {

  @Override
  protected VLConnectorFactory factory() {
    return new MlpConnectorFactory();
  }

  @Override
  protected String options() {
    return "depth = 2";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(BadOption.of("depth", "0"));
  }
}
