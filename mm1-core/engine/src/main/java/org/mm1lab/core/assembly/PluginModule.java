package org.mm1lab.core.assembly;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.mm1lab.api.DataMixerFactory;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.core.plugin.DiscoveredFactory;
import org.mm1lab.core.plugin.PluginRegistry;

/**
 * Binds every discovered factory into a {@code Map<String, XFactory>} per family, keyed by factory
 * name. Discovery happens before, in {@link PluginRegistry}; this module only declares bindings.
 */
public final class PluginModule extends AbstractModule {

  private final PluginRegistry registry;

  public PluginModule(PluginRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void configure() {
    bind(PluginRegistry.class).toInstance(registry);
    MapBinder<String, ImageEncoderFactory> encoders =
        MapBinder.newMapBinder(binder(), String.class, ImageEncoderFactory.class);
    MapBinder<String, VLConnectorFactory> connectors =
        MapBinder.newMapBinder(binder(), String.class, VLConnectorFactory.class);
    MapBinder<String, DecoderFactory> decoders =
        MapBinder.newMapBinder(binder(), String.class, DecoderFactory.class);
    MapBinder<String, DataMixerFactory> mixers =
        MapBinder.newMapBinder(binder(), String.class, DataMixerFactory.class);
    for (DiscoveredFactory found : registry.all()) {
      switch (found.family()) {
        case ENCODER ->
            encoders.addBinding(found.name()).toInstance((ImageEncoderFactory) found.factory());
        case CONNECTOR ->
            connectors.addBinding(found.name()).toInstance((VLConnectorFactory) found.factory());
        case DECODER ->
            decoders.addBinding(found.name()).toInstance((DecoderFactory) found.factory());
        case MIXER ->
            mixers.addBinding(found.name()).toInstance((DataMixerFactory) found.factory());
        default -> throw new IllegalStateException("unhandled family " + found.family());
      }
    }
  }
}
