package org.mm1lab.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The parent of every folder plugin's class loader: it shows a plugin the JDK and, from the host,
 * only the plugin API and the libraries the API exposes in its signatures.
 *
 * <p>Shared with the host, so that a plugin and the host agree on these types: {@code
 * org.mm1lab.api.*} (the SPI itself), {@code ai.djl.*} (NDArray, Block and the engine the host
 * runs) and {@code org.slf4j.*} (DJL's logging facade, so plugin logs reach the host's binding).
 * Everything else on the host's class path (the plugin toolkit, Guice, Typesafe Config, Gson, the
 * core, the built-in plugins) is invisible: a plugin that needs such a library bundles its own
 * version, and two plugins may bundle different versions of the same library without clashing.
 *
 * <p>Resources follow the same rule, which also keeps the host's {@code
 * META-INF/services/org.mm1lab.api.Mm1Plugin} and {@code reference.conf} files out of a plugin's
 * view: {@link java.util.ServiceLoader} over a plugin's loader finds that plugin's providers only.
 */
final class ApiOnlyClassLoader extends ClassLoader {

  /** Package prefixes, as class names, that a plugin shares with the host. */
  static final List<String> SHARED_PACKAGES = List.of("org.mm1lab.api.", "ai.djl.", "org.slf4j.");

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final ClassLoader host;

  /**
   * @param host the host's class loader, which holds the API, DJL and SLF4J
   */
  ApiOnlyClassLoader(ClassLoader host) {
    // The platform loader answers for the JDK (java.*, javax.*, jdk.*), and for nothing else.
    super("mm1-plugin-api", ClassLoader.getPlatformClassLoader());
    this.host = Objects.requireNonNull(host, "host");
  }

  /** Whether a class, by binary name, is one the host shares with plugins. */
  static boolean isShared(String className) {
    for (String prefix : SHARED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a resource, by path ({@code ai/djl/...}), belongs to a shared package. */
  static boolean isSharedResource(String resourceName) {
    String asClassName = resourceName.replace('/', '.');
    return isShared(asClassName);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isShared(name)) {
      return host.loadClass(name);
    }
    // The platform loader, then findClass, which finds nothing: the class is not the JDK's, and a
    // host class outside the API is deliberately out of reach.
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return isSharedResource(name) ? host.getResource(name) : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return isSharedResource(name) ? host.getResources(name) : super.getResources(name);
  }

  @Override
  protected URL findResource(String name) {
    return null;
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    return Collections.emptyEnumeration();
  }
}
