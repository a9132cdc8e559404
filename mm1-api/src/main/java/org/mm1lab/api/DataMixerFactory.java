package org.mm1lab.api;

/** Creates {@link DataMixer}s; return it from {@link Mm1Plugin} to add one of the data mixers. */
public interface DataMixerFactory extends ComponentFactory<DataMixer, MixerContext> {}
