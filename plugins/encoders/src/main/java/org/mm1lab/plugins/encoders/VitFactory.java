package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Options;

/**
 * Shared {@code create} of the ViT encoders: reads and validates the options of {@link VitConfig}
 * and builds an uninitialised {@link VisionTransformer}. Subclasses only give the name and the
 * description, since the objectives that distinguish them live outside the encoder.
 */
abstract class VitFactory implements ImageEncoderFactory {

  @Override
  public ImageEncoder create(Options options, EncoderContext context) {
    return new VisionTransformer(name(), VitConfig.from(options));
  }
}
