package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.toolkit.arrays.Scalars;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.LayoutUnavailableException;
import org.mm1lab.toolkit.weights.ParameterMapping;

/**
 * The MM1 paper's mixture-of-experts decoder: a {@link DenseDecoder} whose feed-forward is replaced
 * by a sparse {@link MixtureOfExperts} in every {@code every}-th layer (MM1: every 2nd layer with
 * 64 experts at 3B, every 4th with 32 at 7B; top-2 routing). Attention, positions, padding, image
 * slots, the key/value cache and generation are exactly the dense model's.
 *
 * <p>{@link #decode} additionally returns, in {@link DecoderOutput#auxiliaryLosses()}, already
 * multiplied by their coefficients and averaged over the mixture layers: {@code load-balance} (the
 * Switch-Transformer loss {@code E * sum_i f_i P_i}) and {@code router-z} (the router z-loss {@code
 * mean logsumexp(logits)^2}); and in {@link DecoderOutput#statistics()} {@code expert-load} {@code
 * (E)}, the fraction of token-to-expert assignments each expert received, averaged over the mixture
 * layers (sums to one; uniform routing gives {@code 1/E} each). Padding never counts.
 *
 * <p>Pretrained weights: the Llama names of {@link DenseDecoder} for the dense layers, and the
 * Mixtral names for mixture layers, instead of {@code mlp.*}:
 *
 * <pre>
 * model.layers.N.block_sparse_moe.gate.weight          (E, D)   the router
 * model.layers.N.block_sparse_moe.experts.M.w1.weight  (F, D)   expert M's gate projection
 * model.layers.N.block_sparse_moe.experts.M.w3.weight  (F, D)   expert M's up projection
 * model.layers.N.block_sparse_moe.experts.M.w2.weight  (D, F)   expert M's down projection
 * </pre>
 */
public final class MoeDecoder extends DenseDecoder {

  private final MoeDecoderSpec moeSpec;

  /**
   * Builds the (uninitialised) decoder; sizes are assumed valid, see {@link MoeDecoderFactory}.
   *
   * @param checkpoint a safetensors file for {@link #loadPretrained}, or {@code ""} for none
   */
  public MoeDecoder(MoeDecoderSpec spec, String checkpoint) {
    super(
        spec.dense(),
        checkpoint,
        i ->
            spec.isMixtureLayer(i)
                ? new AbstractMap.SimpleImmutableEntry<>(
                    "moe",
                    new MixtureOfExperts(
                        spec.dense().width(),
                        spec.dense().ffn(),
                        spec.experts(),
                        spec.topK(),
                        TransformerLayer.outputStd(spec.dense())))
                : null);
    this.moeSpec = spec;
  }

  /** The validated sizes this decoder was built with. */
  public MoeDecoderSpec moeSpec() {
    return moeSpec;
  }

  /** The mixture blocks, in layer order. */
  List<MixtureOfExperts> mixtures() {
    return layers().stream()
        .map(TransformerLayer::feedForward)
        .filter(f -> f instanceof MixtureOfExperts)
        .map(f -> (MixtureOfExperts) f)
        .toList();
  }

  /**
   * Expert input rows processed by all mixture layers since construction: {@code k} per real token
   * per mixture layer, never {@code E}. For tests and diagnostics.
   */
  public long expertRowsProcessed() {
    return mixtures().stream().mapToLong(MixtureOfExperts::expertRowsProcessed).sum();
  }

  @Override
  DecoderOutput output(NDArray logits, AttentionContext context) {
    List<RouterStatistics> routing = context.routing();
    if (routing.isEmpty()) { // no real token in the call
      return DecoderOutput.of(logits);
    }
    NDList balance = new NDList();
    NDList z = new NDList();
    NDList load = new NDList();
    for (RouterStatistics r : routing) {
      balance.add(r.loadBalance().reshape(1));
      z.add(r.routerZ().reshape(1));
      load.add(r.load().expandDims(0));
    }
    NDArray loadBalance =
        Scalars.multiply(NDArrays.concat(balance).mean(), moeSpec.loadBalanceCoefficient());
    NDArray routerZ = Scalars.multiply(NDArrays.concat(z).mean(), moeSpec.routerZCoefficient());
    NDArray expertLoad = NDArrays.concat(load).mean(new int[] {0});
    return new DecoderOutput(
        logits,
        Map.of("load-balance", loadBalance, "router-z", routerZ),
        Map.of("expert-load", expertLoad));
  }

  /**
   * Refused: Llama's layout has no experts. (Its tensors load and save under Mixtral's names, see
   * {@link #llamaLayout()}, but this mixture's router and its dense layers do not follow {@code
   * MixtralForCausalLM} closely enough to promise the same outputs.)
   */
  @Override
  public LayoutExport publishedLayout(NDManager manager) {
    throw new LayoutUnavailableException(
        "a mixture-of-experts decoder (type = moe) has no Llama layout: Llama's MLP is one dense"
            + " SwiGLU per layer; export a dense decoder");
  }

  @Override
  void mapFeedForward(ParameterMapping.Builder mapping, String prefix, FeedForwardBlock block) {
    if (!(block instanceof MixtureOfExperts moe)) {
      super.mapFeedForward(mapping, prefix, block);
      return;
    }
    String base = prefix + "block_sparse_moe.";
    mapping.put(base + "gate.weight", weight(moe.router()));
    List<SwiGluFeedForward> experts = moe.experts();
    for (int m = 0; m < experts.size(); m++) {
      SwiGluFeedForward expert = experts.get(m);
      String e = base + "experts." + m + ".";
      mapping.put(e + "w1.weight", weight(expert.gate()));
      mapping.put(e + "w3.weight", weight(expert.up()));
      mapping.put(e + "w2.weight", weight(expert.down()));
    }
  }
}
