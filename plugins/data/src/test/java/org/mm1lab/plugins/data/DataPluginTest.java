package org.mm1lab.plugins.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;

class DataPluginTest {

  @Test
  void serviceLoaderFindsThePluginAndItsMixers() {
    List<String> names = new ArrayList<>();
    for (Mm1Plugin plugin : ServiceLoader.load(Mm1Plugin.class)) {
      if (plugin instanceof DataPlugin) {
        assertEquals(Mm1Api.VERSION, plugin.apiVersion());
        assertTrue(plugin.connectors().isEmpty());
        for (DataMixerFactory factory : plugin.dataMixers()) {
          names.add(factory.name());
          assertFalse(factory.description().isEmpty());
        }
      }
    }
    assertEquals(List.of("weighted", "batch-weighted", "schedule"), names);
  }

  @Test
  void everyMixerHasDefaultsAndNoOthers() throws Exception {
    // This module's own reference.conf: the test class path also holds mm1-core's stand-ins.
    java.net.URL own =
        new java.net.URL(
            DataPlugin.class.getProtectionDomain().getCodeSource().getLocation(), "reference.conf");
    Config defaults = ConfigFactory.parseURL(own).resolve().getConfig("mm1-plugin-defaults.mixer");
    List<String> names = new ArrayList<>();
    for (DataMixerFactory factory : new DataPlugin().dataMixers()) {
      names.add(factory.name());
      assertTrue(defaults.hasPath(factory.name()), "no defaults for " + factory.name());
    }
    assertEquals(names.size(), defaults.root().size(), "defaults for unknown mixers");
  }
}
