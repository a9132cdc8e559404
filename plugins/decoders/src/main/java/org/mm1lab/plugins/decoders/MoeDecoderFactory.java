package org.mm1lab.plugins.decoders;

import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.Options;

/**
 * Creates the {@code moe} decoder, {@link MoeDecoder}. Options (defaults in {@code reference.conf}
 * under {@code mm1-plugin-defaults.decoder.moe}): every option of {@code dense} (validated the same
 * way, see {@link DenseDecoderFactory}), plus {@code experts}, {@code top-k}, {@code every}, {@code
 * load-balance-coefficient} and {@code router-z-coefficient}.
 */
public final class MoeDecoderFactory implements DecoderFactory {

  @Override
  public String name() {
    return "moe";
  }

  @Override
  public String description() {
    return "Mixture-of-experts decoder: the dense decoder with every k-th feed-forward replaced by"
        + " sparse top-k routed SwiGLU experts, load-balance and router z-losses.";
  }

  @Override
  public Decoder create(Options options, DecoderContext context) {
    return new MoeDecoder(spec(options, context), options.getString("checkpoint").trim());
  }

  /** Reads and validates every option except {@code checkpoint}. */
  static MoeDecoderSpec spec(Options options, DecoderContext context) {
    DenseDecoderSpec dense = DenseDecoderFactory.spec(options, context);
    int experts = options.getInt("experts", 1, 1 << 14);
    int topK = options.getInt("top-k", 1, 1 << 14);
    int every = options.getInt("every", 1, 1024);
    double loadBalance = options.getDouble("load-balance-coefficient");
    double routerZ = options.getDouble("router-z-coefficient");
    if (topK > experts) {
      throw options.invalid(
          "top-k",
          "routes each token to "
              + topK
              + " experts but there are only "
              + experts
              + "; use a top-k of at most "
              + experts
              + " (2 is usual) or more experts");
    }
    if (every > dense.layers()) {
      throw options.invalid(
          "every",
          "a mixture every "
              + every
              + " layers leaves none of the "
              + dense.layers()
              + " layers sparse; use an every of at most "
              + dense.layers()
              + " (MM1: 2 or 4)");
    }
    checkCoefficient(options, "load-balance-coefficient", loadBalance, "0.01");
    checkCoefficient(options, "router-z-coefficient", routerZ, "0.001");
    return new MoeDecoderSpec(dense, experts, topK, every, loadBalance, routerZ);
  }

  private static void checkCoefficient(Options options, String key, double value, String usual) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw options.invalid(
          key, "must be a finite number of at least 0, got " + value + "; " + usual + " is usual");
    }
  }
}
