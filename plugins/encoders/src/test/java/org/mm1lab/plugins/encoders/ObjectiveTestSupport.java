package org.mm1lab.plugins.encoders;

import org.mm1lab.api.ImageEncoderFactory;

/** Option strings shared by the tests. */
final class ObjectiveTestSupport {

  private ObjectiveTestSupport() {}

  /** HOCON lines giving every pretraining option of {@code factory} a small value. */
  static String objectiveOptions(ImageEncoderFactory factory) {
    if (factory instanceof SuperClassVitFactory) {
      return "pooling = mean\n";
    }
    return factory instanceof ClipVitFactory
        ? "embed-dim = 8\ntext-width = 8\ntext-layers = 2\ntext-heads = 2\nmax-text-length = 6\n"
            + "hard-negatives = 0\nsuperclass-weight = 0\n"
        : "head-width = 16\nnormalize-targets = true\n";
  }
}
