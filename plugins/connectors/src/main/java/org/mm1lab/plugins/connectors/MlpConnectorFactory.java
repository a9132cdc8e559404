package org.mm1lab.plugins.connectors;

import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/** Builds {@link MlpConnector}: {@code type = mlp}; option {@code depth} (default 2). */
public final class MlpConnectorFactory implements VLConnectorFactory {

  @Override
  public String name() {
    return "mlp";
  }

  @Override
  public String description() {
    return "LLaVA-1.5 MLP projector (depth linear layers, GELU between); keeps all N patches.";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    int depth = options.getInt("depth", 1, 16);
    return new MlpConnector(context.encoderGrid(), context.decoderWidth(), depth);
  }
}
