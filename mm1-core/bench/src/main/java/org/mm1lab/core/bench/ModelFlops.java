package org.mm1lab.core.bench;

import com.typesafe.config.Config;
import org.mm1lab.api.Family;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.RunConfig;

/**
 * The model FLOPs of a training step, computed from the configuration (not measured), as MFU needs
 * them. A multiply-add counts as 2 FLOPs; a training step costs 3 forward passes (the backward pass
 * computes gradients for both activations and weights, twice the forward's matrix work), the usual
 * convention (Kaplan et al. 2020; PaLM's MFU). Only matrix products and convolutions count: norms,
 * softmax, activations, the embedding lookup and the optimizer are overhead, which is exactly what
 * MFU exposes.
 *
 * <p>Per decoder position (every position of the {@code B x L} batch is computed, padding
 * included), with width {@code D}, {@code H} heads of width {@code hd}, {@code H_kv} key/value
 * heads, feed-forward width {@code F}, vocabulary {@code V} and sequence length {@code L}; the
 * output head only per position with a target, the only logits a training step computes (see {@link
 * org.mm1lab.api.DecoderInput#logitPositions}):
 *
 * <pre>
 *   per layer  2 (D * H hd + 2 D * H_kv hd + H hd * D)      projections q, k, v, o
 *            + 4 L * H hd                                   scores q k^T and the weighted sum of v
 *            + 6 D F                                        SwiGLU (gate, up, down)
 *     (moe layer: 2 D E for the router + top-k * 6 D F for the experts a token is routed to)
 *   head       2 D V                                          per target position
 * </pre>
 *
 * The attention term counts the full {@code L x L} score matrix, as the implementation computes it
 * (no causal skipping). That is {@code 6 N + 12 n_layer L d_attn} per trained token, PaLM's
 * formula, with {@code N} the non-embedding parameters that a token passes through.
 *
 * <p>Per image, ViT encoder ({@code clip-vit}, {@code aim-vit}) with {@code N} patches of {@code P
 * x P} pixels, width {@code C}, MLP width {@code M}:
 *
 * <pre>
 *   2 N (3 P^2) C  +  layers * (8 N C^2 + 4 N^2 C + 4 N C M)
 * </pre>
 *
 * <p>Per image, connector with {@code T} image tokens of width {@code D}: {@code c-abstractor}
 * (stage width {@code K}, depth {@code d}) sums per bottleneck block on an {@code n}-pixel map
 * {@code 2n (in K + 9 K + K^2 [+ in K for a widening shortcut])} plus the squeeze-excitation, over
 * {@code d} blocks at {@code N} pixels and {@code d} at {@code T}, plus the pooling matrix {@code 2
 * K N T} and the readout {@code 2 T (K D + D^2)}; {@code avg-pool} {@code 2 C N T + 2 T C D};
 * {@code linear} {@code 2 N C D}; {@code mlp} {@code 2 N (C D + (depth-1) D^2)}; {@code
 * attention-pool} {@code 4 N C^2 + 4 T C^2 + 4 T N C + 2 T C D}. A component of another type counts
 * {@code 2} FLOPs per parameter per position (decoder) or patch (encoder, connector), the usual
 * dense approximation, and {@link #approximate()} says so.
 *
 * @param decoderPerPosition forward FLOPs per decoder position, the output head excluded
 * @param headPerTarget forward FLOPs of the output head per position with a target
 * @param encoderPerImage forward FLOPs of the image encoder per image
 * @param connectorPerImage forward FLOPs of the connector per image
 * @param approximate the names of components counted with the generic approximation, or empty
 */
public record ModelFlops(
    double decoderPerPosition,
    double headPerTarget,
    double encoderPerImage,
    double connectorPerImage,
    String approximate) {

  /** A training step costs this many forward passes. */
  public static final double TRAINING_PASSES = 3.0;

  /**
   * The FLOPs of a run's model.
   *
   * @param config the resolved run (component sections with their plugin defaults)
   * @param components the assembled components (the vocabulary, the encoder's grid)
   * @param sequenceLength the training sequence length {@code L}
   * @param parameters parameter counts by component ({@code encoder}, {@code connector}, {@code
   *     decoder}), for the generic approximation
   */
  public static ModelFlops of(
      RunConfig config,
      Components components,
      int sequenceLength,
      java.util.Map<String, Long> parameters) {
    StringBuilder approximate = new StringBuilder();
    PatchGrid grid = components.encoder().outputGrid();
    long patches = (long) grid.height() * grid.width();
    double decoder = decoder(config, sequenceLength, parameters, approximate);
    double head = head(config, components.decoder().vocabularySize());
    double encoder = encoder(config, patches, parameters, approximate);
    double connector =
        connector(
            config,
            grid,
            components.connector().tokens(),
            components.decoder().width(),
            parameters,
            approximate);
    return new ModelFlops(decoder, head, encoder, connector, approximate.toString());
  }

  /**
   * Forward FLOPs of a step over {@code positions} decoder positions, {@code targets} of them with
   * a target, and {@code images} images.
   */
  public double forward(long positions, long targets, long images) {
    return decoder(positions, targets) + (encoderPerImage + connectorPerImage) * images;
  }

  /** Training FLOPs of a step: {@link #TRAINING_PASSES} forward passes. */
  public double training(long positions, long targets, long images) {
    return TRAINING_PASSES * forward(positions, targets, images);
  }

  /** Forward FLOPs of the decoder, its head included, for a step (see {@link #forward}). */
  public double decoder(long positions, long targets) {
    return decoderPerPosition * positions + headPerTarget * targets;
  }

  private static Config section(RunConfig config, Family family) {
    return config.config().getConfig(ComponentSlots.pathOf(family));
  }

  private static double decoder(
      RunConfig config,
      int length,
      java.util.Map<String, Long> parameters,
      StringBuilder approximate) {
    String type = config.type(Family.DECODER);
    Config c = section(config, Family.DECODER);
    if (!type.equals("dense") && !type.equals("moe")) {
      note(approximate, "decoder '" + type + "'");
      return 2.0 * parameters.getOrDefault("decoder", 0L);
    }
    double d = c.getInt("width");
    int layers = c.getInt("layers");
    double heads = c.getInt("heads");
    double kvHeads = c.getInt("kv-heads");
    double ffn = c.getInt("ffn");
    double headDim = d / heads;
    double attentionWidth = heads * headDim;
    double projections = 2 * (d * attentionWidth + 2 * d * kvHeads * headDim + attentionWidth * d);
    double scores = 4.0 * length * attentionWidth;
    double dense = 6 * d * ffn;
    double total = 0;
    for (int layer = 1; layer <= layers; layer++) {
      double feedForward = dense;
      if (type.equals("moe") && layer % c.getInt("every") == 0) {
        feedForward = 2 * d * c.getInt("experts") + c.getInt("top-k") * dense;
      }
      total += projections + scores + feedForward;
    }
    return total;
  }

  /**
   * The output head per target position; 0 for a decoder of another type, whose generic count per
   * position includes its head (it may compute logits everywhere).
   */
  private static double head(RunConfig config, int vocabulary) {
    String type = config.type(Family.DECODER);
    if (!type.equals("dense") && !type.equals("moe")) {
      return 0;
    }
    return 2.0 * section(config, Family.DECODER).getInt("width") * vocabulary;
  }

  private static double encoder(
      RunConfig config,
      long patches,
      java.util.Map<String, Long> parameters,
      StringBuilder approximate) {
    String type = config.type(Family.ENCODER);
    Config c = section(config, Family.ENCODER);
    if (!type.equals("clip-vit") && !type.equals("aim-vit")) {
      note(approximate, "encoder '" + type + "'");
      return 2.0 * parameters.getOrDefault("encoder", 0L) * patches;
    }
    double n = patches;
    double p = c.getInt("patch-size");
    double width = c.getInt("width");
    double mlp = Math.round(width * c.getDouble("mlp-ratio"));
    double block = 8 * n * width * width + 4 * n * n * width + 4 * n * width * mlp;
    return 2 * n * 3 * p * p * width + c.getInt("layers") * block;
  }

  private static double connector(
      RunConfig config,
      PatchGrid grid,
      int tokens,
      int width,
      java.util.Map<String, Long> parameters,
      StringBuilder approximate) {
    String type = config.type(Family.CONNECTOR);
    Config c = section(config, Family.CONNECTOR);
    double n = (double) grid.height() * grid.width();
    double channels = grid.channels();
    double t = tokens;
    double d = width;
    switch (type) {
      case "c-abstractor" -> {
        int depth = c.getInt("depth");
        double hidden = c.getInt("hidden") == 0 ? channels : c.getInt("hidden");
        double flops = 0;
        for (int i = 0; i < depth; i++) {
          flops += bottleneck(i == 0 ? channels : hidden, hidden, n);
        }
        flops += 2 * hidden * n * t;
        for (int i = 0; i < depth; i++) {
          flops += bottleneck(hidden, hidden, t);
        }
        return flops + 2 * t * (hidden * d + d * d);
      }
      case "avg-pool" -> {
        return 2 * channels * n * t + 2 * t * channels * d;
      }
      case "linear" -> {
        return 2 * n * channels * d;
      }
      case "mlp" -> {
        return 2 * n * (channels * d + (c.getInt("depth") - 1) * d * d);
      }
      case "attention-pool" -> {
        return 4 * n * channels * channels
            + 4 * t * channels * channels
            + 4 * t * n * channels
            + 2 * t * channels * d;
      }
      default -> {
        note(approximate, "connector '" + type + "'");
        return 2.0 * parameters.getOrDefault("connector", 0L) * n;
      }
    }
  }

  /** One C-Abstractor bottleneck block on a map of {@code pixels} pixels. */
  private static double bottleneck(double in, double out, double pixels) {
    double se = Math.max(1, Math.round(in * 0.25));
    double convolutions = in * out + 9 * out + out * out + (in != out ? in * out : 0);
    return 2 * pixels * convolutions + 2 * (out * se + se * out);
  }

  private static void note(StringBuilder approximate, String what) {
    if (approximate.length() > 0) {
      approximate.append(", ");
    }
    approximate.append(what);
  }
}
