package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Pixel checks on rendered charts. */
final class Pixels {

  private Pixels() {}

  /** Decodes a PNG, failing the test when it is not one, and checks its size. */
  static BufferedImage decode(Path png, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is not a decodable image");
    assertEquals(width, image.getWidth(), "width of " + png);
    assertEquals(height, image.getHeight(), "height of " + png);
    return image;
  }

  /** How many pixels are within {@code tolerance} of {@code color} in every channel. */
  static int near(BufferedImage image, Color color, int tolerance) {
    return near(image, color, tolerance, 0, 0, image.getWidth(), image.getHeight());
  }

  /** {@link #near} inside a rectangle. */
  static int near(BufferedImage image, Color color, int tolerance, int x0, int y0, int x1, int y1) {
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        Color c = new Color(image.getRGB(x, y));
        if (Math.abs(c.getRed() - color.getRed()) <= tolerance
            && Math.abs(c.getGreen() - color.getGreen()) <= tolerance
            && Math.abs(c.getBlue() - color.getBlue()) <= tolerance) {
          count++;
        }
      }
    }
    return count;
  }

  /** How many pixels differ from the chart background. */
  static int notBackground(BufferedImage image) {
    int all = image.getWidth() * image.getHeight();
    return all - near(image, ChartFrame.BACKGROUND, 0);
  }

  /** The topmost row in column {@code x} whose pixel is near {@code color}; -1 when none. */
  static int topOf(BufferedImage image, Color color, int x) {
    for (int y = 0; y < image.getHeight(); y++) {
      if (near(image, color, 10, x, y, x + 1, y + 1) == 1) {
        return y;
      }
    }
    return -1;
  }
}
