package org.mm1lab.core.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same scene drawn at 64 and at 128 px: the larger drawing carries detail the smaller one lacks
 * (legible strokes of a small word), which an enlarged 64 px image does not recover.
 */
class ResolutionDetailTest {

  /** Scenes that all carry a small word (the smallest text the defaults draw). */
  private static final WorldSettings SMALL_WORDS =
      WorldSettings.defaults().withTextSizes(0.06, 0.07).withWordProbability(1.0);

  @Test
  void aSceneDrawsAtAnySizeFromTheSameFacts() {
    Scene scene = Scene.sample(new SplittableRandom(3), WorldSettings.defaults());
    SceneImage image = new SceneImage(scene);
    assertEquals(128, image.decode(128).getWidth());
    assertEquals(64, image.decode(64).getWidth());
    assertEquals(WorldSettings.PREVIEW_SIZE, image.decode().getWidth());
    // A world set to a fixed size draws there whatever the consumer asks.
    assertEquals(96, new SceneImage(scene, 96).decode(128).getWidth());
  }

  @Test
  void aSmallWordIsLegibleOnlyAtTheHigherResolution() {
    int n = 60;
    int wordsAt64 = 0;
    int wordsAt128 = 0;
    for (int i = 0; i < n; i++) {
      Scene scene = Scene.sample(new SplittableRandom(100 + i), SMALL_WORDS);
      WrittenWord word = scene.word().orElseThrow();
      int length = word.text().length();
      wordsAt64 +=
          LetterReader.correctLetters(SceneRenderer.render(scene, 64), word) == length ? 1 : 0;
      wordsAt128 +=
          LetterReader.correctLetters(SceneRenderer.render(scene, 128), word) == length ? 1 : 0;
    }
    System.out.printf(
        "small words read: %d of %d at 64 px, %d at 128 px%n", wordsAt64, n, wordsAt128);
    assertTrue(wordsAt128 >= 0.95 * n, "words read at 128 px: " + wordsAt128);
    assertTrue(wordsAt64 <= 0.5 * n, "words read at 64 px: " + wordsAt64);
  }

  @Test
  void theHigherResolutionIsNotAnEnlargedLowerOne() {
    double wordDifference = 0;
    double shapeDifference = 0;
    int n = 40;
    for (int i = 0; i < n; i++) {
      Scene scene = Scene.sample(new SplittableRandom(200 + i), SMALL_WORDS);
      BufferedImage sharp = SceneRenderer.render(scene, 128);
      BufferedImage enlarged = enlarge(SceneRenderer.render(scene, 64), 128);
      WrittenWord w = scene.word().orElseThrow();
      wordDifference += meanDifference(sharp, enlarged, w.left(), w.top(), w.width(), w.height());
      SceneObject largest =
          scene.objects().stream()
              .max(java.util.Comparator.comparingDouble(SceneObject::size))
              .orElseThrow();
      // The middle half of the largest shape: flat colour at both sizes.
      double q = largest.size() / 4;
      shapeDifference +=
          meanDifference(
              sharp, enlarged, largest.centerX() - q / 2, largest.centerY() - q / 2, q, q);
    }
    wordDifference /= n;
    shapeDifference /= n;
    System.out.printf(
        "mean |128 px - enlarged 64 px|: word %.1f, inside shapes %.1f%n",
        wordDifference, shapeDifference);
    assertTrue(wordDifference > 4 * shapeDifference + 5, wordDifference + " " + shapeDifference);
  }

  /**
   * Reads each letter of a written word by its nearest glyph among a-z, drawn at the same size near
   * the word's own position (a reader does not know exactly where the pixel grid falls). A glyph
   * several pixels high survives that shift; one of three or four pixels does not.
   */
  private static final class LetterReader {
    /**
     * Where the reader tries each glyph, relative to the true position: a grid a quarter pixel
     * apart that misses the truth by an eighth of a pixel, as a reader that searches the alignment
     * without knowing it would.
     */
    private static final double[] OFFSETS = {-0.375, -0.125, 0.125, 0.375};

    static int correctLetters(BufferedImage image, WrittenWord w) {
      int side = image.getWidth();
      java.awt.Font font =
          new java.awt.Font(java.awt.Font.MONOSPACED, java.awt.Font.BOLD, 1)
              .deriveFont((float) w.fontPixels(side));
      BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scratch.createGraphics();
      hints(g);
      g.setFont(font);
      java.awt.FontMetrics metrics = g.getFontMetrics();
      double advance = font.getStringBounds("m", g.getFontRenderContext()).getWidth();
      g.dispose();
      double x0 = w.left() * side + (w.width() * side - metrics.stringWidth(w.text())) / 2.0;
      double baseline =
          w.top() * side
              + (w.height() * side - metrics.getAscent() - metrics.getDescent()) / 2.0
              + metrics.getAscent();
      int cellTop = (int) Math.floor(baseline - metrics.getAscent());
      int cellHeight = (int) Math.ceil(metrics.getAscent() + metrics.getDescent()) + 1;
      int cellWidth = (int) Math.ceil(advance) + 1;
      int correct = 0;
      for (int k = 0; k < w.text().length(); k++) {
        double x = x0 + k * advance;
        int cellLeft = (int) Math.floor(x);
        double[] seen = cell(image, cellLeft, cellTop, cellWidth, cellHeight);
        char best = '?';
        double bestDistance = Double.POSITIVE_INFINITY;
        for (char c = 'a'; c <= 'z'; c++) {
          for (double dx : OFFSETS) {
            for (double dy : OFFSETS) {
              BufferedImage glyph =
                  glyph(c, font, x - cellLeft + dx, baseline - cellTop + dy, cellWidth, cellHeight);
              double d = distance(seen, cell(glyph, 0, 0, cellWidth, cellHeight));
              if (d < bestDistance) {
                bestDistance = d;
                best = c;
              }
            }
          }
        }
        if (best == w.text().charAt(k)) {
          correct++;
        }
      }
      return correct;
    }

    private static BufferedImage glyph(
        char c, java.awt.Font font, double x, double y, int width, int height) {
      BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      try {
        hints(g);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(java.awt.Color.BLACK);
        g.setFont(font);
        g.drawString(String.valueOf(c), (float) x, (float) y);
      } finally {
        g.dispose();
      }
      return out;
    }

    private static void hints(Graphics2D g) {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }

    /** The cell's darkness, normalised to zero mean and unit length (ink colour does not count). */
    private static double[] cell(BufferedImage image, int left, int top, int width, int height) {
      double[] v = new double[width * height];
      double mean = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int px = Math.min(image.getWidth() - 1, Math.max(0, left + x));
          int py = Math.min(image.getHeight() - 1, Math.max(0, top + y));
          v[y * width + x] = 255 - luma(image.getRGB(px, py));
          mean += v[y * width + x];
        }
      }
      mean /= v.length;
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] -= mean;
        norm += v[i] * v[i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        v[i] = norm == 0 ? 0 : v[i] / norm;
      }
      return v;
    }

    private static double distance(double[] a, double[] b) {
      double d = 0;
      for (int i = 0; i < a.length; i++) {
        d += (a[i] - b[i]) * (a[i] - b[i]);
      }
      return d;
    }
  }

  private static double meanDifference(
      BufferedImage a, BufferedImage b, double left, double top, double width, double height) {
    int side = a.getWidth();
    double sum = 0;
    int count = 0;
    for (int y = (int) (top * side); y < (top + height) * side; y++) {
      for (int x = (int) (left * side); x < (left + width) * side; x++) {
        sum += Math.abs(luma(a.getRGB(x, y)) - luma(b.getRGB(x, y)));
        count++;
      }
    }
    return count == 0 ? 0 : sum / count;
  }

  private static BufferedImage enlarge(BufferedImage image, int side) {
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, side, side, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static double luma(int rgb) {
    return 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
  }
}
