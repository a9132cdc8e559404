package org.mm1lab.plugins.connectors;

import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/** Builds {@link LinearConnector}: {@code type = linear}; option {@code bias} (default true). */
public final class LinearConnectorFactory implements VLConnectorFactory {

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public String description() {
    return "One linear projection per patch (LLaVA 1.0); keeps all N patches as tokens.";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    boolean bias = options.getBoolean("bias");
    return new LinearConnector(context.encoderGrid(), context.decoderWidth(), bias);
  }
}
