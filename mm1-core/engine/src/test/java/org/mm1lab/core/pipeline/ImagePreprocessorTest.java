package org.mm1lab.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  @Test
  // CLIP's published mean and standard deviation, written as published.
  @SuppressWarnings("FloatingPointLiteralPrecision")
  void normalisesEachChannelChannelFirst() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(255, 0, 51));
    g.fillRect(0, 0, 8, 8);
    g.dispose();
    ImagePreprocessor pre =
        new ImagePreprocessor(8, ImagePreprocessor.clipMean(), ImagePreprocessor.clipStd());
    float[] out = new float[pre.floatsPerImage() + 2];
    pre.process(image, out, 2);
    assertEquals((1f - 0.48145466f) / 0.26862954f, out[2], 1e-5);
    assertEquals((0f - 0.4578275f) / 0.26130258f, out[2 + 64], 1e-5);
    assertEquals((0.2f - 0.40821073f) / 0.27577711f, out[2 + 128 + 63], 1e-5);
  }

  @Test
  void resizesTheShorterSideAndCropsTheCentre() {
    // 20 x 10: left quarter red, middle half green, right quarter blue. Shorter side 10 -> 10,
    // centre crop keeps columns 5..14, which are all green.
    BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 5, 10);
    g.setColor(Color.GREEN);
    g.fillRect(5, 0, 10, 10);
    g.setColor(Color.BLUE);
    g.fillRect(15, 0, 5, 10);
    g.dispose();
    ImagePreprocessor pre = new ImagePreprocessor(10, new float[] {0, 0, 0}, new float[] {1, 1, 1});
    BufferedImage square = pre.resizeAndCrop(image);
    assertEquals(10, square.getWidth());
    assertEquals(10, square.getHeight());
    for (int x = 0; x < 10; x++) {
      assertEquals(Color.GREEN.getRGB(), square.getRGB(x, 5), "column " + x);
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImagePreprocessor(0, new float[3], new float[] {1, 1, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImagePreprocessor(4, new float[3], new float[] {1, 0, 1}));
  }
}
