package org.mm1lab.plugins.decoders;

/**
 * The validated sizes of a {@link MoeDecoder}; built by {@link MoeDecoderFactory}.
 *
 * @param dense the sizes shared with the dense model; each expert is a SwiGLU of hidden width
 *     {@code dense.ffn()}
 * @param experts experts per mixture layer {@code E}
 * @param topK experts each token is routed to, {@code 1 <= k <= E}
 * @param every a mixture replaces the feed-forward of every {@code every}-th layer: layers {@code
 *     every-1, 2*every-1, ...} (0-based), so {@code 2} makes the 2nd, 4th, ... layers sparse
 * @param loadBalanceCoefficient weight of the load-balance loss
 * @param routerZCoefficient weight of the router z-loss
 */
public record MoeDecoderSpec(
    DenseDecoderSpec dense,
    int experts,
    int topK,
    int every,
    double loadBalanceCoefficient,
    double routerZCoefficient) {

  /** Whether layer {@code index} (0-based) holds a mixture of experts. */
  public boolean isMixtureLayer(int index) {
    return (index + 1) % every == 0;
  }

  /** The number of mixture layers, {@code floor(layers / every)}. */
  public int mixtureLayers() {
    return dense.layers() / every;
  }

  /**
   * The number of scalar parameters: the dense count, plus per mixture layer {@code E - 1} more
   * SwiGLU experts ({@code 3 D F} each) and the router {@code D E}.
   */
  public long parameterCount() {
    long d = dense.width();
    long perMixture = (long) (experts - 1) * 3 * d * dense.ffn() + d * experts;
    return dense.parameterCount() + mixtureLayers() * perMixture;
  }

  /**
   * Parameters that one token's forward pass uses: the dense count with {@code k} experts per
   * mixture layer instead of one (the embedding counted once, as in the dense formula).
   */
  public long activeParameterCount() {
    long d = dense.width();
    long perMixture = (long) (topK - 1) * 3 * d * dense.ffn() + d * experts;
    return dense.parameterCount() + mixtureLayers() * perMixture;
  }
}
