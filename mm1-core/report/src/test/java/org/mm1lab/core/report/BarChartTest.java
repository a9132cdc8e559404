package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {

  @TempDir Path dir;

  /**
   * The height in pixels of the tallest bar of {@code color} between columns {@code x0} and {@code
   * x1}: the longest vertical run of that exact colour that ends in the lower half of the image,
   * where the bars stand, so that legend samples at the top do not count.
   */
  private static int barHeight(BufferedImage image, Color color, int x0, int x1) {
    int tallest = 0;
    for (int x = x0; x < x1; x++) {
      int run = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        run = image.getRGB(x, y) == color.getRGB() ? run + 1 : 0;
        if (y > image.getHeight() / 2) {
          tallest = Math.max(tallest, run);
        }
      }
    }
    return tallest;
  }

  @Test
  void barsAreProportionalToTheirValues() throws Exception {
    Path png = dir.resolve("ablation.png");
    new BarChart("0-shot", "score")
        .categories("caption", "vqa")
        .series("baseline", new double[] {40, 20})
        .series("bigger", new double[] {60, 10})
        .write(png, 600, 400);

    BufferedImage image = Pixels.decode(png, 600, 400);
    Color first = ChartFrame.color(0);
    Color second = ChartFrame.color(1);
    // Left half holds the caption group, right half the vqa group.
    int baseCaption = barHeight(image, first, 0, 300);
    int biggerCaption = barHeight(image, second, 0, 300);
    int baseVqa = barHeight(image, first, 300, 600);
    int biggerVqa = barHeight(image, second, 300, 600);
    assertTrue(baseCaption > 50, "bars are drawn: " + baseCaption);
    assertEquals(1.5, (double) biggerCaption / baseCaption, 0.05);
    assertEquals(0.5, (double) baseVqa / baseCaption, 0.05);
    assertEquals(1.0 / 6, (double) biggerVqa / biggerCaption, 0.05);
  }

  @Test
  void aMissingValueLeavesItsBarOut() {
    BufferedImage image =
        new BarChart("", "")
            .categories("a", "b")
            .series("only a", new double[] {5, Double.NaN})
            .render(400, 300);
    assertEquals(0, barHeight(image, ChartFrame.color(0), 210, 400));
    assertTrue(barHeight(image, ChartFrame.color(0), 0, 200) > 50);
  }

  /** The longest vertical run of the error bars' colour in any column between x0 and x1. */
  private static int errorBarHeight(BufferedImage image, int x0, int x1) {
    int tallest = 0;
    for (int x = x0; x < x1; x++) {
      int run = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        run = image.getRGB(x, y) == BarChart.ERROR_BAR.getRGB() ? run + 1 : 0;
        tallest = Math.max(tallest, run);
      }
    }
    return tallest;
  }

  @Test
  void errorBarsSpanTheirIntervals() {
    BufferedImage image =
        new BarChart("", "")
            .categories("a", "b", "c")
            .series(
                "s",
                new double[] {50, 50, 50},
                new double[] {30, Double.NaN, 45},
                new double[] {70, Double.NaN, 55})
            .render(600, 400);
    int bar = barHeight(image, ChartFrame.color(0), 0, 200);
    // [30, 70] is 40 units against the bar's 50 (plus the caps' two pixels).
    assertEquals(40.0 / 50, (double) (errorBarHeight(image, 0, 200) - 2) / bar, 0.03);
    assertEquals(0, errorBarHeight(image, 200, 400), "no interval, no error bar");
    assertEquals(10.0 / 50, (double) (errorBarHeight(image, 400, 600) - 2) / bar, 0.03);
  }

  @Test
  void rejectsSeriesThatDoNotMatchTheCategories() {
    BarChart chart = new BarChart("", "").categories("a", "b");
    assertThrows(IllegalArgumentException.class, () -> chart.series("s", new double[] {1}));
    double[] two = {1, 2};
    assertThrows(
        IllegalArgumentException.class, () -> chart.series("s", two, new double[] {1}, two));
    assertThrows(IllegalArgumentException.class, () -> chart.valueFormat("%d"));
  }
}
