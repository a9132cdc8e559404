package org.mm1lab.plugins.encoders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Options;

/**
 * Shared {@code create} of the ViT encoders: reads and validates the options of {@link VitConfig}
 * and the {@code checkpoint} option, and builds an uninitialised {@link VisionTransformer}.
 * Subclasses give the name, the description and the options of the pretraining objective that
 * distinguishes them.
 */
abstract class VitFactory implements ImageEncoderFactory {

  /** The option naming a safetensors file to load after initialisation; {@code ""} for none. */
  static final String CHECKPOINT = "checkpoint";

  @Override
  public ImageEncoder create(Options options, EncoderContext context) {
    VitConfig config = VitConfig.from(options);
    PretrainingSpec pretraining = pretraining(options, context);
    return new VisionTransformer(name(), config, pretraining, checkpoint(options));
  }

  /**
   * The checkpoint path, checked to exist so that a typo fails at assembly rather than after the
   * model is allocated. Only the file's presence is checked here; its tensors are read by {@link
   * VisionTransformer#loadPretrained}.
   */
  private static String checkpoint(Options options) {
    // Absent only when a caller builds options by hand without the reference.conf defaults.
    String checkpoint = options.has(CHECKPOINT) ? options.getString(CHECKPOINT).trim() : "";
    if (!checkpoint.isEmpty() && !Files.isRegularFile(Path.of(checkpoint))) {
      throw options.invalid(
          CHECKPOINT,
          "no such file '"
              + checkpoint
              + "' (relative paths are resolved against "
              + Paths.get("").toAbsolutePath()
              + "); give the encoder.safetensors that mm1 pretrain-encoder wrote, a timm ViT"
              + " .safetensors, or \"\" for none");
    }
    return checkpoint;
  }

  /**
   * Reads and validates the options of this encoder's pretraining objective. They are read even
   * when the run does not pretrain, so that a wrong value fails at assembly and no declared key is
   * reported as unused.
   */
  abstract PretrainingSpec pretraining(Options options, EncoderContext context);
}
