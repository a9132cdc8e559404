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

  /**
   * Decodes the image for a consumer that uses it {@code side} pixels wide and high (an encoder's
   * input size). A source that can draw at any resolution (a vector scene of the synthetic world)
   * draws at that size, so that a larger input carries more detail rather than an enlarged copy;
   * every other source decodes as {@link #decode()} does, and the consumer resizes.
   *
   * @param side the consumer's side in pixels, or 0 when it has none
   * @throws IOException when the bytes are not a readable image
   */
  default BufferedImage decode(int side) throws IOException {
    return decode();
  }

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
