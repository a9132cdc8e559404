package org.mm1lab.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An image not yet decoded: decoding is deferred so that it can run on the pipeline's background
 * threads. Implementations are immutable.
 */
public interface ImageSource {

  /**
   * Decodes the image.
   *
   * @throws IOException when the bytes are not a readable image (the pipeline counts it as a bad
   *     record and skips it)
   */
  BufferedImage decode() throws IOException;

  /** An image already in memory (the synthetic world renders these). */
  static ImageSource of(BufferedImage image) {
    return () -> image;
  }

  /** Encoded bytes (PNG, JPEG, anything {@link ImageIO} reads). */
  static ImageSource ofBytes(byte[] encoded) {
    return () -> decodeBytes(encoded);
  }

  /** A file, read when decoded; never written to. */
  static ImageSource ofFile(Path file) {
    return () -> decodeBytes(Files.readAllBytes(file));
  }

  private static BufferedImage decodeBytes(byte[] encoded) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
    if (image == null) {
      throw new IOException("not a readable image (" + encoded.length + " bytes)");
    }
    return image;
  }
}
