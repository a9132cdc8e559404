package org.mm1lab.plugins.encoders;

import java.util.List;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.testkit.BadOption;
import org.mm1lab.testkit.ImageEncoderContract;

/** The built-in CLIP ViT passes the same contract tests as any third-party encoder. */
class ClipVitContractTest extends ImageEncoderContract {

  @Override
  protected ImageEncoderFactory factory() {
    return new ClipVitFactory();
  }

  @Override
  protected String options() {
    return "image-size = 32, patch-size = 8, width = 16, layers = 1, heads = 2,"
        + " embed-dim = 8, text-width = 16, text-layers = 1, text-heads = 2, max-text-length = 8";
  }

  @Override
  protected List<String> sizes() {
    return List.of("", "image-size = 48, patch-size = 16, width = 24, heads = 3");
  }

  @Override
  protected List<BadOption> badOptions() {
    return List.of(
        BadOption.of("image-size", "30"),
        BadOption.of("heads", "3"),
        BadOption.of("layers", "0", "must be positive"));
  }
}
