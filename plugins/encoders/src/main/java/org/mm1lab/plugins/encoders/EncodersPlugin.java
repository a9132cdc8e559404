package org.mm1lab.plugins.encoders;

import java.util.List;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Mm1Api;
import org.mm1lab.api.Mm1Plugin;

/**
 * The built-in image encoders: {@code clip-vit} and {@code aim-vit}, the same pre-norm {@link
 * VisionTransformer} that differ in the pretraining objective they build ({@link ClipObjective},
 * {@link AimObjective}).
 */
public final class EncodersPlugin implements Mm1Plugin {

  @Override
  public String apiVersion() {
    return Mm1Api.VERSION;
  }

  @Override
  public List<ImageEncoderFactory> imageEncoders() {
    return List.of(new ClipVitFactory(), new AimVitFactory(), new SuperClassVitFactory());
  }
}
