package org.mm1lab.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  /**
   * Decodes the image as {@link #decode(int)} does and counts in {@code conversions} what decoding
   * changed on the way to 8-bit sRGB (a CMYK JPEG, 16-bit samples, dropped transparency, an EXIF
   * orientation). Sources that hold no encoded bytes convert nothing.
   */
  default BufferedImage decode(int side, ImageConversions conversions) throws IOException {
    return decode(side);
  }

  /** An image already in memory (the synthetic world renders these). */
  static ImageSource of(BufferedImage image) {
    return () -> image;
  }

  /** Encoded bytes (JPEG, PNG, GIF, BMP, WebP), decoded by {@link ImageDecoder}. */
  static ImageSource ofBytes(byte[] encoded) {
    return new Encoded(() -> encoded, null);
  }

  /**
   * Encoded bytes that came from somewhere a user can find: a failure to decode them names it.
   *
   * @param where for messages, e.g. {@code shard-000.tar, member 000123.jpg}
   */
  static ImageSource ofBytes(byte[] encoded, String where) {
    return new Encoded(() -> encoded, where);
  }

  /** A file, read when decoded; never written to. A failure to read or decode it names it. */
  static ImageSource ofFile(Path file) {
    return new Encoded(() -> Files.readAllBytes(file), file.toString());
  }

  /** Where encoded bytes come from. */
  @FunctionalInterface
  interface Bytes {
    byte[] read() throws IOException;
  }

  /** An encoded image, decoded by {@link ImageDecoder} into 8-bit sRGB. */
  final class Encoded implements ImageSource {
    private final Bytes bytes;
    private final String where;

    Encoded(Bytes bytes, String where) {
      this.bytes = bytes;
      this.where = where;
    }

    @Override
    public BufferedImage decode() throws IOException {
      return decoded().image();
    }

    @Override
    public BufferedImage decode(int side, ImageConversions conversions) throws IOException {
      ImageDecoder.Decoded decoded = decoded();
      conversions.record(decoded.conversions());
      return decoded.image();
    }

    private ImageDecoder.Decoded decoded() throws IOException {
      try {
        return ImageDecoder.decode(bytes.read());
      } catch (IOException e) {
        if (where == null) {
          throw e;
        }
        // the pipeline keeps only the message: it must say which image of which file
        throw new IOException(where + ": " + e.getMessage(), e);
      }
    }
  }
}
