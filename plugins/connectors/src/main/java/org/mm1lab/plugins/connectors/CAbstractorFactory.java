package org.mm1lab.plugins.connectors;

import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/**
 * Builds {@link CAbstractor}: {@code type = c-abstractor}; options {@code tokens} (default 64, a
 * perfect square with {@code sqrt(T) <= min(h, w)}), {@code depth} (default 3 blocks per stage) and
 * {@code hidden} (default 0, meaning the encoder width {@code D_enc}).
 */
public final class CAbstractorFactory implements VLConnectorFactory {

  @Override
  public String name() {
    return "c-abstractor";
  }

  @Override
  public String description() {
    return "Honeybee C-Abstractor: ResNet bottleneck stages around adaptive pooling to"
        + " sqrt(T) x sqrt(T).";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    int side = TokenGrids.pooledSide(options, "tokens", context.encoderGrid());
    int depth = options.getInt("depth", 1, 16);
    int hidden = options.getInt("hidden", 0, 65536);
    if (hidden == 0) {
      // Honeybee keeps the encoder's width through the stages.
      hidden = context.encoderGrid().channels();
    }
    return new CAbstractor(context.encoderGrid(), side, depth, hidden, context.decoderWidth());
  }
}
