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
 *   public String apiVersion() {
 *     return Mm1Api.VERSION; // compiled into this class: the API version it was built against
 *   }
 *
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
 * Every family method has an empty default, so a plugin overrides only the families it contributes.
 * Names must be unique per family across all plugins the host loads.
 *
 * @since 1.0
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
   * The API version this plugin was compiled against, which the host checks before it uses the
   * plugin (same major version, minor no newer than the host's; see {@link Mm1Api#VERSION}).
   * Implement it exactly as {@code return Mm1Api.VERSION;}: {@code VERSION} is a compile-time
   * constant, so javac copies its value into the plugin's own class, and the method keeps returning
   * the version the plugin was built against whatever API the host runs. (A default method here
   * could not do that: its constant would be compiled into this interface, that is into the host's
   * copy, and every plugin would claim the host's version.)
   */
  String apiVersion();
}
