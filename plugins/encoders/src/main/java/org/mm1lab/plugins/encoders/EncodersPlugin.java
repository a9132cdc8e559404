package org.mm1lab.plugins.encoders;

import java.util.List;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Mm1Plugin;

/**
 * The built-in image encoders: {@code clip-vit} and {@code aim-vit}, two names for the same
 * pre-norm {@link VisionTransformer} that differ in the pretraining objective attached to them.
 */
public final class EncodersPlugin implements Mm1Plugin {

  @Override
  public List<ImageEncoderFactory> imageEncoders() {
    return List.of(new ClipVitFactory(), new AimVitFactory());
  }
}
