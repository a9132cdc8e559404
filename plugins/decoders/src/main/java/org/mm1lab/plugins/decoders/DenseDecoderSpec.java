package org.mm1lab.plugins.decoders;

/**
 * The validated sizes of a {@link DenseDecoder}; built by {@link DenseDecoderFactory}, which
 * reports bad values as option errors.
 *
 * @param vocabularySize token ids {@code V} covered by the embedding and the output head
 * @param width model width {@code D}
 * @param layers number of transformer layers
 * @param heads query heads {@code H}; {@code D / H} is the even head width {@code hd}
 * @param kvHeads key/value heads {@code H_kv}, dividing {@code H} (equal to it: plain multi-head)
 * @param ffn SwiGLU hidden width {@code F}
 * @param ropeBase rotary wavelength base
 * @param normEps RMSNorm epsilon
 * @param tieEmbeddings whether the output head reuses the token embedding matrix
 */
public record DenseDecoderSpec(
    int vocabularySize,
    int width,
    int layers,
    int heads,
    int kvHeads,
    int ffn,
    double ropeBase,
    float normEps,
    boolean tieEmbeddings) {

  /** The per-head width {@code hd = D / H}. */
  public int headDim() {
    return width / heads;
  }

  /**
   * The number of scalar parameters: embedding {@code V D}; per layer two norm gains {@code 2 D},
   * query and output projections {@code 2 D^2}, key and value projections {@code 2 D H_kv hd}, the
   * feed-forward {@code 3 D F}; the final norm {@code D}; and an untied head {@code V D}.
   */
  public long parameterCount() {
    long d = width;
    long perLayer = 2 * d + 2 * d * d + 2 * d * (long) kvHeads * headDim() + 3 * d * ffn;
    return (long) vocabularySize * d * (tieEmbeddings ? 1 : 2) + layers * perLayer + d;
  }
}
