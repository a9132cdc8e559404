package org.mm1lab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mm1lab.api.Options;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * The plugin toolkit is an ordinary library: the host's copy, on its class path beside the API, is
 * not shown to folder plugins, which bundle their own.
 */
class ApiOnlyClassLoaderTest {

  private final ApiOnlyClassLoader loader = new ApiOnlyClassLoader(getClass().getClassLoader());

  @Test
  void theApiIsTheHostsOwn() throws Exception {
    assertSame(Options.class, loader.loadClass(Options.class.getName()));
  }

  @Test
  void theHostsToolkitIsInvisible() {
    assertThrows(
        ClassNotFoundException.class, () -> loader.loadClass(ConfigOptions.class.getName()));
    assertNull(loader.getResource(ConfigOptions.class.getName().replace('.', '/') + ".class"));
  }
}
