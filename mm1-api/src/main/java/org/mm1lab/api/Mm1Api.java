package org.mm1lab.api;

/**
 * Facts about this version of the plugin API.
 *
 * @since 1.0
 */
public final class Mm1Api {
  /**
   * The API version, {@code MAJOR.MINOR}. A plugin built against {@code 1.x} runs on a host whose
   * API is {@code 1.y} with {@code y >= x}; a different major version is refused with a clear
   * message. Because this is a compile-time constant, a plugin's {@link Mm1Plugin#apiVersion()}
   * implemented as {@code return Mm1Api.VERSION;} records the version it was compiled against.
   * Parts marked {@link Experimental} are exempt: they may change in a minor version.
   */
  public static final String VERSION = "1.0";

  private Mm1Api() {}
}
