package org.mm1lab.api;

import java.util.Objects;

/**
 * What a {@link VLConnectorFactory} must fit between.
 *
 * @param seed the run's seed
 * @param encoderGrid the selected encoder's output layout, the connector's input
 * @param decoderWidth the selected decoder's hidden width ({@code D_llm}), the connector's output
 *     width
 * @since 1.0
 */
public record ConnectorContext(long seed, PatchGrid encoderGrid, int decoderWidth) {

  public ConnectorContext {
    Objects.requireNonNull(encoderGrid, "encoderGrid");
    if (decoderWidth < 1) {
      throw new IllegalArgumentException("decoderWidth must be positive, got " + decoderWidth);
    }
  }
}
