package org.mm1lab.api;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Decoder} returns.
 *
 * @param logits {@code (B, L, V)} next-token logits for every input position, or {@code (N, V)} for
 *     the {@link DecoderInput#logitPositions} alone when the input lists them and the decoder
 *     honours the list
 * @param auxiliaryLosses named scalar losses already multiplied by their coefficients (for example
 *     a mixture of experts' {@code load-balance} and {@code router-z} losses); the trainer adds
 *     them to the next-token loss. Empty for a dense decoder.
 * @param statistics named arrays for the metrics log (for example {@code expert-load}, the fraction
 *     of tokens per expert); never part of the loss
 * @since 1.0
 */
public record DecoderOutput(
    NDArray logits, Map<String, NDArray> auxiliaryLosses, Map<String, NDArray> statistics) {

  public DecoderOutput {
    Objects.requireNonNull(logits, "logits");
    auxiliaryLosses = Map.copyOf(auxiliaryLosses);
    statistics = Map.copyOf(statistics);
  }

  /** Logits only, as a dense decoder returns. */
  public static DecoderOutput of(NDArray logits) {
    return new DecoderOutput(logits, Map.of(), Map.of());
  }
}
