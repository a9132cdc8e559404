package org.mm1lab.api;

/**
 * Creates {@link Decoder}s; return it from {@link Mm1Plugin} to add one of the decoders.
 *
 * @since 1.0
 */
public interface DecoderFactory extends ComponentFactory<Decoder, DecoderContext> {}
