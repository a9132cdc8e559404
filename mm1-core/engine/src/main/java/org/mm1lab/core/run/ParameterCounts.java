package org.mm1lab.core.run;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Locale;
import org.mm1lab.core.train.MultimodalModel;

/** Parameter counts of a model and its components, for the user. */
public final class ParameterCounts {

  private ParameterCounts() {}

  /** The parameters of an initialised block. */
  public static long count(Block block) {
    long total = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      total += p.getValue().getArray().size();
    }
    return total;
  }

  /** E.g. {@code 1.21M parameters (encoder 0.34M, connector 0.12M, decoder 0.75M)}. */
  public static String describe(MultimodalModel model) {
    var c = model.components();
    return String.format(
        Locale.ROOT,
        "%s parameters (encoder %s, connector %s, decoder %s)",
        human(count(model)),
        human(count(c.encoder())),
        human(count(c.connector())),
        human(count(c.decoder())));
  }

  static String human(long n) {
    if (n >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }
    if (n >= 1_000) {
      return String.format(Locale.ROOT, "%.1fk", n / 1e3);
    }
    return Long.toString(n);
  }
}
