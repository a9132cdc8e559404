package org.mm1lab.api;

/**
 * Creates {@link DataMixer}s; return it from {@link Mm1Plugin} to add one of the data mixers.
 *
 * @since 1.0
 */
public interface DataMixerFactory extends ComponentFactory<DataMixer, MixerContext> {}
