package org.mm1lab.plugins.decoders;

import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.Options;

/**
 * Creates the {@code dense} decoder, {@link DenseDecoder}. Options (defaults in {@code
 * reference.conf} under {@code mm1-plugin-defaults.decoder.dense}): {@code width}, {@code layers},
 * {@code heads}, {@code kv-heads}, {@code ffn}, {@code rope-base}, {@code norm-eps}, {@code
 * tie-embeddings}, {@code checkpoint} (a safetensors file in the Llama layout that {@link
 * DenseDecoder#loadPretrained} loads after initialisation; empty for none). The vocabulary size
 * comes from the {@link DecoderContext}. Rotary angles are computed per call, so any {@code
 * maxSequenceLength} fits.
 */
public final class DenseDecoderFactory implements DecoderFactory {

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public String description() {
    return "Dense decoder-only transformer: RMSNorm, rotary positions, SwiGLU, causal attention"
        + " with optional grouped-query heads, tied or untied output head, key/value cache.";
  }

  @Override
  public Decoder create(Options options, DecoderContext context) {
    return new DenseDecoder(spec(options, context), options.getString("checkpoint").trim());
  }

  /** Reads and validates every option; each problem names the option and what to change. */
  static DenseDecoderSpec spec(Options options, DecoderContext context) {
    int width = options.getInt("width", 1, 1 << 16);
    int layers = options.getInt("layers", 1, 1024);
    int heads = options.getInt("heads", 1, width);
    int kvHeads = options.getInt("kv-heads", 1, heads);
    int ffn = options.getInt("ffn", 1, 1 << 20);
    double ropeBase = options.getDouble("rope-base");
    double normEps = options.getDouble("norm-eps");
    boolean tie = options.getBoolean("tie-embeddings");

    if (width % heads != 0) {
      throw options.invalid(
          "heads",
          "width "
              + width
              + " is not divisible by "
              + heads
              + " heads; use a number of heads that divides the width, such as "
              + nearestDivisor(width, heads)
              + ", or change the width");
    }
    if ((width / heads) % 2 != 0) {
      throw options.invalid(
          "heads",
          "the head width "
              + width
              + " / "
              + heads
              + " = "
              + width / heads
              + " is odd, but rotary position embeddings need an even head width; use a width"
              + " that is an even multiple of heads (for example "
              + 2L * heads * Math.max(1, Math.round(width / (2.0 * heads)))
              + ")");
    }
    if (heads % kvHeads != 0) {
      throw options.invalid(
          "kv-heads",
          kvHeads
              + " key/value heads do not divide "
              + heads
              + " query heads; use a divisor of heads, such as "
              + nearestDivisor(heads, kvHeads)
              + " (equal to heads for plain multi-head attention)");
    }
    if (!(ropeBase > 1.0) || Double.isInfinite(ropeBase)) {
      throw options.invalid(
          "rope-base", "must be a finite number above 1, got " + ropeBase + "; 10000 is usual");
    }
    if (!(normEps > 0.0) || normEps >= 1.0) {
      throw options.invalid(
          "norm-eps", "must be above 0 and below 1, got " + normEps + "; 1e-5 or 1e-6 is usual");
    }
    return new DenseDecoderSpec(
        context.vocabularySize(),
        width,
        layers,
        heads,
        kvHeads,
        ffn,
        ropeBase,
        (float) normEps,
        tie);
  }

  /** The divisor of {@code n} closest to {@code wanted} (the smaller one on a tie). */
  static int nearestDivisor(int n, int wanted) {
    int best = 1;
    for (int d = 1; d <= n; d++) {
      if (n % d == 0 && Math.abs(d - wanted) < Math.abs(best - wanted)) {
        best = d;
      }
    }
    return best;
  }
}
