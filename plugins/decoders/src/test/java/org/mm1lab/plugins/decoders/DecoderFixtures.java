package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.toolkit.options.ConfigOptions;

/** Shared helpers: options over the module's real defaults, tiny decoders, comparisons. */
final class DecoderFixtures {

  static final int VOCABULARY = 11;

  /** Tiny sizes: 2 layers, width 16, 4 query heads over 2 key/value heads (GQA). */
  static final String TINY = "width = 16\nlayers = 2\nheads = 4\nkv-heads = 2\nffn = 24\n";

  private DecoderFixtures() {}

  /**
   * The module's {@code reference.conf} defaults for {@code dense}, overridden by {@code hocon}.
   */
  static ConfigOptions options(String hocon) {
    Config defaults =
        ConfigFactory.parseResources("reference.conf")
            .getConfig("mm1-plugin-defaults.decoder.dense");
    Config merged = ConfigFactory.parseString(hocon).withFallback(defaults).resolve();
    return new ConfigOptions("mm1.model.decoder", merged);
  }

  /** The defaults for {@code moe}, overridden by {@code hocon}. */
  static ConfigOptions moeOptions(String hocon) {
    Config defaults =
        ConfigFactory.parseResources("reference.conf").getConfig("mm1-plugin-defaults.decoder.moe");
    Config merged = ConfigFactory.parseString(hocon).withFallback(defaults).resolve();
    return new ConfigOptions("mm1.model.decoder", merged);
  }

  /** Tiny MoE sizes: the dense {@link #TINY} with 4 experts, top-2, every layer a mixture. */
  static final String TINY_MOE = TINY + "experts = 4\ntop-k = 2\nevery = 1\n";

  /** A mixture-of-experts decoder built through the factory and initialised for {@code (B, L)}. */
  static MoeDecoder moeDecoder(NDManager manager, String hocon, long batch, long length) {
    MoeDecoder decoder = (MoeDecoder) new MoeDecoderFactory().create(moeOptions(hocon), context());
    decoder.initialize(manager, DataType.FLOAT32, new Shape(batch, length));
    return decoder;
  }

  static DecoderContext context() {
    return new DecoderContext(7L, VOCABULARY, 64);
  }

  /** A decoder built through the factory and initialised for {@code (B, L)} tokens. */
  static DenseDecoder decoder(NDManager manager, String hocon, long batch, long length) {
    DenseDecoder decoder =
        (DenseDecoder) new DenseDecoderFactory().create(options(hocon), context());
    decoder.initialize(manager, DataType.FLOAT32, new Shape(batch, length));
    return decoder;
  }

  static NDArray tokens(NDManager manager, long... values) {
    return manager.create(values);
  }

  /** The largest absolute difference between two arrays of the same shape. */
  static float maxDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
