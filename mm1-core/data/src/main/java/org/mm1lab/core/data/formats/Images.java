package org.mm1lab.core.data.formats;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.io.Png;

/** PNG encoding for the writers. */
final class Images {

  private Images() {}

  /** Decodes an image source and encodes it as PNG. */
  static byte[] png(ImageSource image) {
    try {
      return png(image.decode());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an image to write it: " + e.getMessage(), e);
    }
  }

  /** Encodes an image as PNG. */
  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Png.write(image, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A key safe as a file name and as a WebDataset key (no dots, no slashes). */
  static String safeKey(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      b.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
    }
    return b.length() == 0 ? "_" : b.toString();
  }
}
