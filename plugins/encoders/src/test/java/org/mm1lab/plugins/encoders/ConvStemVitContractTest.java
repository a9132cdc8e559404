package org.mm1lab.plugins.encoders;

import java.util.List;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.ImageEncoderContract;

/** The ViT with its convolutional stem ({@code stem = conv}) passes the encoder contract too. */
class ConvStemVitContractTest extends ImageEncoderContract {

  @Override
  protected ImageEncoderFactory factory() {
    return new ClipVitFactory();
  }

  @Override
  protected String options() {
    return "image-size = 32, patch-size = 8, width = 16, layers = 1, heads = 2, stem = conv,"
        + " embed-dim = 8, text-width = 16, text-layers = 1, text-heads = 2, max-text-length = 8";
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(BadOption.of("stem", "pyramid"));
  }
}
