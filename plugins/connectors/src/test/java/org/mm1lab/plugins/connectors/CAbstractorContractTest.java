package org.mm1lab.plugins.connectors;

import java.util.List;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.VLConnectorContract;

/** The built-in C-Abstractor passes the third-party connector contract. */
class CAbstractorContractTest extends VLConnectorContract {

  @Override
  protected VLConnectorFactory factory() {
    return new CAbstractorFactory();
  }

  @Override
  protected String options() {
    return "tokens = 4, depth = 1, hidden = 8";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(BadOption.of("tokens", "3", "is not a positive perfect square"));
  }
}
