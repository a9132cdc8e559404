package org.mm1lab.plugins.connectors;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/**
 * Builds {@link AttentionPoolConnector}: {@code type = attention-pool}; options {@code tokens}
 * (default 64, any positive count) and {@code heads} (default 8, must divide {@code D_enc}).
 */
public final class AttentionPoolConnectorFactory implements VLConnectorFactory {

  /** Generous bound: beyond this the queries outnumber any realistic patch grid many times. */
  static final int MAX_TOKENS = 4096;

  @Override
  public String name() {
    return "attention-pool";
  }

  @Override
  public String description() {
    return "MM1 attention pooling: T learnable queries cross-attend to the patches, then a"
        + " linear map.";
  }

  @Override
  public VLConnector create(Options options, ConnectorContext context) {
    int tokens = options.getInt("tokens", 1, MAX_TOKENS);
    int width = context.encoderGrid().channels();
    int heads = options.getInt("heads");
    if (heads < 1 || heads > width || width % heads != 0) {
      throw options.invalid(
          "heads",
          heads
              + " heads do not divide the encoder width D_enc = "
              + width
              + "; use a divisor of "
              + width
              + " such as "
              + nearestDivisors(width, heads));
    }
    return new AttentionPoolConnector(context.encoderGrid(), tokens, heads, context.decoderWidth());
  }

  /** The divisors of {@code width} nearest below and above {@code heads}, smaller first. */
  static String nearestDivisors(int width, int heads) {
    List<Integer> divisors = new ArrayList<>();
    for (int d = 1; d <= width; d++) {
      if (width % d == 0) {
        divisors.add(d);
      }
    }
    Integer below = null;
    Integer above = null;
    for (int d : divisors) {
      if (d <= heads) {
        below = d;
      } else if (above == null) {
        above = d;
      }
    }
    if (below == null) {
      return String.valueOf(above);
    }
    return above == null ? String.valueOf(below) : below + " or " + above;
  }
}
