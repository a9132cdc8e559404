package org.mm1lab.plugins.connectors;

import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/**
 * Builds {@link AvgPoolConnector}: {@code type = avg-pool}; option {@code tokens} (default 64), a
 * perfect square whose root is at most the encoder grid's shorter side.
 */
public final class AvgPoolConnectorFactory implements VLConnectorFactory {

  @Override
  public String name() {
    return "avg-pool";
  }

  @Override
  public String description() {
    return "MM1 average pooling: the patch grid averaged to sqrt(T) x sqrt(T), then a linear map.";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    int side = TokenGrids.pooledSide(options, "tokens", context.encoderGrid());
    return new AvgPoolConnector(context.encoderGrid(), side, context.decoderWidth());
  }
}
