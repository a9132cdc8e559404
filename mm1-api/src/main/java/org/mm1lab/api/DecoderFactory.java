package org.mm1lab.api;

/** Creates {@link Decoder}s; return it from {@link Mm1Plugin} to add one of the decoders. */
public interface DecoderFactory extends ComponentFactory<Decoder, DecoderContext> {}
