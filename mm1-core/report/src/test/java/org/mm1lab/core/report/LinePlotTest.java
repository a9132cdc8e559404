package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

  private static final Color FIRST = ChartFrame.color(0);
  private static final Color SECOND = ChartFrame.color(1);

  @TempDir Path dir;

  private static double[] range(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  private static double[] noisyDecay(int n, long seed) {
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = 3 * Math.exp(-i / 80.0) + 0.5 + random.nextGaussian() * 0.2;
    }
    return y;
  }

  @Test
  void writesADecodablePngOfTheRequestedSizeWithTheCurveOnIt() throws Exception {
    Path png = dir.resolve("plots/loss.png");
    new LinePlot("Loss", "step", "loss")
        .series("loss", range(300), noisyDecay(300, 1))
        .write(png, 640, 360);

    BufferedImage image = Pixels.decode(png, 640, 360);
    // A curve across most of a ~580 px wide plot is drawn with hundreds of pixels in its colour.
    assertTrue(
        Pixels.near(image, FIRST, 40) > 400, "curve pixels: " + Pixels.near(image, FIRST, 40));
    try (var files = Files.list(png.getParent())) {
      assertEquals(1, files.count(), "the temporary file is gone after the rename");
    }
  }

  @Test
  void smoothingAddsALightBandUnderThePlainValues() {
    double[] x = range(300);
    double[] y = noisyDecay(300, 2);
    Color light = ChartFrame.faded(FIRST, 0.75f);
    BufferedImage plain = new LinePlot("", "", "").series("loss", x, y).render(640, 360);
    BufferedImage smooth =
        new LinePlot("", "", "")
            .series("loss", x, y)
            .smoothing(LinePlot.smoothingWindow(300))
            .render(640, 360);

    // Antialiased edges of the plain line have some pixels of a similar light colour; the band
    // of the smoothed plot has several times as many.
    int lightPlain = Pixels.near(plain, light, 8);
    int lightSmooth = Pixels.near(smooth, light, 8);
    assertTrue(lightSmooth > 1500, "band pixels: " + lightSmooth);
    assertTrue(lightSmooth > 3 * lightPlain, lightSmooth + " vs " + lightPlain);
    // The values themselves are still drawn in full colour on top.
    assertTrue(Pixels.near(smooth, FIRST, 40) > 300, "the values are there too");
  }

  /**
   * A loss still falling steadily at the end of a run logged at 61 points: the centred mean ends on
   * the last value, where an exponential average with weight 0.9 (what the report drew before)
   * trails it by half a unit.
   */
  @Test
  void theCentredMeanDoesNotLagBehindAFallingLoss() {
    int n = 61;
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      loss[i] = 4 - 0.06 * i;
    }
    double[] smooth = LinePlot.centredMean(loss, LinePlot.smoothingWindow(n));
    for (int i = 0; i < n; i++) {
      assertEquals(loss[i], smooth[i], 1e-12, "no lag at point " + i);
    }
    double ema = loss[0];
    for (int i = 1; i < n; i++) {
      ema = 0.9 * ema + 0.1 * loss[i];
    }
    assertTrue(ema > loss[n - 1] + 0.5, "the exponential average lags: " + ema);
  }

  @Test
  void theCentredMeanAveragesSymmetricallyAndSkipsNonFiniteValues() {
    assertArrayEquals(
        new double[] {1, 2, 2.5, Double.NaN, 8, 9},
        LinePlot.centredMean(new double[] {1, 3, 2, Double.NaN, 7, 9}, 3),
        1e-12);
    assertArrayEquals(new double[] {4, 5}, LinePlot.centredMean(new double[] {4, 5}, 1), 0);
  }

  @Test
  void theSmoothingWindowGrowsWithTheRunAndIsOdd() {
    assertEquals(1, LinePlot.smoothingWindow(19));
    assertEquals(3, LinePlot.smoothingWindow(61));
    assertEquals(75, LinePlot.smoothingWindow(1500));
    for (int n = 0; n < 3000; n += 37) {
      assertEquals(1, LinePlot.smoothingWindow(n) % 2, "odd at " + n);
    }
  }

  @Test
  void everySeriesGetsItsOwnColour() {
    double[] x = range(100);
    BufferedImage image =
        new LinePlot("two runs", "step", "loss")
            .series("a", x, noisyDecay(100, 3))
            .series("b", x, noisyDecay(100, 4))
            .render(500, 300);
    assertTrue(Pixels.near(image, FIRST, 40) > 150);
    assertTrue(Pixels.near(image, SECOND, 40) > 150);
  }

  @Test
  void theLegendMovesOutOfTheWayOfARisingCurve() {
    double[] x = range(100);
    BufferedImage image = new LinePlot("", "", "").series("accuracy", x, x).render(400, 300);
    // The curve runs from bottom left to top right, so the top-left corner is free for the
    // legend, whose line sample is the only thing drawn there in the series' colour.
    assertTrue(Pixels.near(image, FIRST, 40, 0, 0, 150, 100) > 20, "legend sample top left");
    assertTrue(Pixels.near(image, FIRST, 40, 300, 0, 400, 100) > 20, "curve end not covered");
  }

  @Test
  void logScaleStraightensAnExponentialDecay() {
    double[] x = range(201);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.pow(10, 3 - 5.0 * i / 200); // 1000 down to 0.01
    }
    // A quarter of the way along the value is about 100: near the bottom of a linear axis up to
    // 1000, but high up a log axis from 0.01 to 1000.
    int column = 160;
    int linearTop =
        Pixels.topOf(new LinePlot("", "", "").series("s", x, y).render(640, 400), FIRST, column);
    int logTop =
        Pixels.topOf(
            new LinePlot("", "", "").series("s", x, y).logY().render(640, 400), FIRST, column);
    assertTrue(linearTop > 0 && logTop > 0, linearTop + ", " + logTop);
    assertTrue(linearTop - logTop > 400 / 3, "linear " + linearTop + " vs log " + logTop);
  }

  @Test
  void valuesThatCannotBeDrawnBreakTheLineInsteadOfFailing() {
    double[] y = {1, 2, Double.NaN, 4, Double.POSITIVE_INFINITY, 6, -1, 3};
    BufferedImage image = new LinePlot("", "", "").series("s", range(8), y).logY().render(300, 200);
    assertTrue(Pixels.near(image, FIRST, 40) > 20);
  }

  @Test
  void aPlotWithoutDataSaysSoInsteadOfFailing() {
    BufferedImage image =
        new LinePlot("empty", "step", "loss")
            .series("nothing", new double[0], new double[0])
            .render(300, 200);
    assertEquals(0, Pixels.near(image, FIRST, 10));
    assertTrue(Pixels.notBackground(image) > 0, "title, axes and message are drawn");
  }

  @Test
  void rejectsBadArguments() {
    LinePlot plot = new LinePlot("", "", "");
    assertThrows(
        IllegalArgumentException.class, () -> plot.series("s", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> plot.smoothing(0));
    assertThrows(IllegalArgumentException.class, () -> plot.smoothing(4));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.centredMean(new double[1], 2));
    assertThrows(IllegalArgumentException.class, () -> plot.render(50, 50));
  }
}
