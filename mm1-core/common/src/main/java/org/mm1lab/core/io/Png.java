package org.mm1lab.core.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG encoding that buffers in memory, never in a temporary file.
 *
 * <p>{@code ImageIO.write(image, "png", stream)} buffers through a temporary file by default, and
 * the first such file registers a JVM shutdown hook to delete it. Registering a hook while the JVM
 * is shutting down fails ("Shutdown in progress"), so a run stopped by Ctrl-C or SIGTERM, which
 * writes its report during shutdown, could not write a plot. Memory buffering registers nothing,
 * and report images are small.
 */
public final class Png {

  private Png() {}

  /**
   * Writes {@code image} to {@code out} as a PNG.
   *
   * @throws IOException when writing fails or no PNG writer takes this image type
   */
  public static void write(BufferedImage image, OutputStream out) throws IOException {
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(image, "png", stream)) {
        throw new IOException("no PNG writer for image type " + image.getType());
      }
    }
  }
}
