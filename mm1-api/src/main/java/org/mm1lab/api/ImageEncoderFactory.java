package org.mm1lab.api;

/**
 * Creates {@link ImageEncoder}s; return it from {@link Mm1Plugin} to add one of the image encoders.
 *
 * @since 1.0
 */
public interface ImageEncoderFactory extends ComponentFactory<ImageEncoder, EncoderContext> {}
