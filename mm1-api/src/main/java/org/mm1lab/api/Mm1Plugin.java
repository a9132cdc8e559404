package org.mm1lab.api;

import java.util.List;

/**
 * The one entry point of a plugin jar, found with {@link java.util.ServiceLoader}.
 *
 * <p>To add a component, implement its factory, return it from the matching method here, list the
 * implementation class in {@code META-INF/services/org.mm1lab.api.Mm1Plugin}, and put its option
 * defaults in the jar's {@code reference.conf}:
 *
 * <pre>{@code
 * public final class MyPlugin implements Mm1Plugin {
 *   @Override
 *   public List<VLConnectorFactory> connectors() {
 *     return List.of(new PixelShuffleConnectorFactory());
 *   }
 * }
 *
 * # reference.conf
 * mm1-plugin-defaults.connector.pixel-shuffle { tokens = 64, factor = 2 }
 * }</pre>
 *
 * Every method has an empty default, so a plugin overrides only the families it contributes. Names
 * must be unique per family across all plugins the host loads.
 */
public interface Mm1Plugin {

  /** Image encoder factories this plugin contributes. */
  default List<ImageEncoderFactory> imageEncoders() {
    return List.of();
  }

  /** Vision-language connector factories this plugin contributes. */
  default List<VLConnectorFactory> connectors() {
    return List.of();
  }

  /** Decoder factories this plugin contributes. */
  default List<DecoderFactory> decoders() {
    return List.of();
  }

  /** Data mixer factories this plugin contributes. */
  default List<DataMixerFactory> dataMixers() {
    return List.of();
  }

  /**
   * The API version this plugin was compiled against. Do not override: the default inlines {@link
   * Mm1Api#VERSION} at compile time, which is exactly the version the plugin needs.
   */
  default String apiVersion() {
    return Mm1Api.VERSION;
  }
}
