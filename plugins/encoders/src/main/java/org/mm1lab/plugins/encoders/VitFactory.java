package org.mm1lab.plugins.encoders;

import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Options;

/**
 * Shared {@code create} of the ViT encoders: reads and validates the options of {@link VitConfig}
 * and builds an uninitialised {@link VisionTransformer}. Subclasses give the name, the description
 * and the options of the pretraining objective that distinguishes them.
 */
abstract class VitFactory implements ImageEncoderFactory {

  @Override
  public ImageEncoder create(Options options, EncoderContext context) {
    VitConfig config = VitConfig.from(options);
    return new VisionTransformer(name(), config, pretraining(options, context));
  }

  /**
   * Reads and validates the options of this encoder's pretraining objective. They are read even
   * when the run does not pretrain, so that a wrong value fails at assembly and no declared key is
   * reported as unused.
   */
  abstract PretrainingSpec pretraining(Options options, EncoderContext context);
}
