package org.mm1lab.core.plugin;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One plugin as the host loads it: a jar, or a folder of jars (the plugin and its dependencies),
 * given one class loader of its own.
 *
 * @param label how messages and {@code mm1 plugins} name it: the jar's or folder's path as the user
 *     wrote it
 * @param jars the jars on its class path, at least one
 */
public record PluginBundle(String label, List<Path> jars) {

  public PluginBundle {
    Objects.requireNonNull(label, "label");
    jars = List.copyOf(jars);
    if (jars.isEmpty()) {
      throw new IllegalArgumentException("a plugin bundle needs a jar: " + label);
    }
  }

  /**
   * A new class loader over the bundle's jars whose parent shows only what the host shares with
   * plugins (see {@link ApiOnlyClassLoader}). It stays open for the life of the process, as classes
   * loaded from it do.
   */
  ClassLoader open(ClassLoader apiOnlyParent) {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException("a file path is always a URL: " + jars.get(i), e);
      }
    }
    return new URLClassLoader("mm1-plugin " + label, urls, apiOnlyParent);
  }

  /** How messages name the bundle: {@code plugin jar plugins/x.jar} or {@code plugin folder x/}. */
  String describe() {
    return (label.endsWith(".jar") ? "plugin jar " : "plugin folder ") + label;
  }

  /**
   * The path, as the user would write it, of the bundle jar at {@code location}, or the label when
   * it is none of them (a class the JDK loaded, say).
   */
  String jarNamed(Path location) {
    for (Path jar : jars) {
      if (jar.toAbsolutePath().normalize().equals(location.toAbsolutePath().normalize())) {
        return jar.toString();
      }
    }
    return label;
  }
}
