package org.mm1lab.plugins.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Mm1Plugin;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.toolkit.options.ConfigOptions;

/** The plugin is discoverable and its reference.conf declares exactly what each factory reads. */
class ConnectorsPluginTest {

  @Test
  void serviceLoaderFindsThePlugin() {
    boolean found = false;
    for (Mm1Plugin plugin : ServiceLoader.load(Mm1Plugin.class)) {
      found |= plugin instanceof ConnectorsPlugin;
    }
    assertTrue(found);
  }

  @Test
  void everyFactoryHasDefaultsAndReadsEveryDeclaredKey() {
    // This module's own file: the test classpath also holds other modules' reference.conf files.
    Config defaults =
        ConfigFactory.parseFile(new File("src/main/resources/reference.conf"))
            .resolve()
            .getConfig("mm1-plugin-defaults.connector");
    Set<String> names = new TreeSet<>();
    PatchGrid grid = new PatchGrid(16, 16, 16);
    for (VLConnectorFactory factory : new ConnectorsPlugin().connectors()) {
      names.add(factory.name());
      assertTrue(defaults.hasPath(factory.name()), "no defaults for " + factory.name());
      assertTrue(!factory.description().isEmpty(), factory.name());
      ConfigOptions options =
          new ConfigOptions("mm1.model.connector", defaults.getConfig(factory.name()));
      VLConnector connector = factory.create(options, new ConnectorContext(1, grid, 32));
      assertEquals(32, connector.outputWidth());
      assertTrue(
          options.unreadKeys().isEmpty(), factory.name() + " ignores " + options.unreadKeys());
    }
    assertEquals(Set.of("linear", "mlp", "avg-pool", "attention-pool", "c-abstractor"), names);
    assertEquals(names, new TreeSet<>(defaults.root().keySet()));
  }
}
