package org.mm1lab.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AxisTest {

  @Test
  void linearTicksAreRoundNumbersCoveringTheData() {
    Axis axis = Axis.linear(0.13, 0.97, 6);
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, axis.ticks(), 1e-12);
    assertArrayEquals(new String[] {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, axis.labels());
    assertEquals(0, axis.fraction(0), 1e-12);
    assertEquals(0.5, axis.fraction(0.5), 1e-12);
  }

  @Test
  void stepsGetIntegerLabels() {
    Axis axis = Axis.linear(1, 600, 8);
    assertArrayEquals(new String[] {"0", "100", "200", "300", "400", "500", "600"}, axis.labels());
  }

  @Test
  void smallLearningRatesGetScientificLabels() {
    Axis axis = Axis.linear(0, 3e-4, 4);
    assertArrayEquals(new String[] {"0", "1e-4", "2e-4", "3e-4"}, axis.labels());
  }

  @Test
  void aFlatSeriesStillGetsARange() {
    Axis axis = Axis.linear(2, 2, 5);
    assertTrue(axis.low() < 2 && axis.high() > 2);
    assertEquals(0.5, axis.fraction(2), 1e-9);
  }

  @Test
  void logAxisTicksOnDecadesAndTheirMultiples() {
    Axis wide = Axis.logarithmic(0.003, 40);
    assertArrayEquals(new double[] {1e-3, 1e-2, 1e-1, 1, 10, 100}, wide.ticks(), 1e-15);
    assertArrayEquals(new String[] {"1e-3", "0.01", "0.1", "1", "10", "100"}, wide.labels());
    assertEquals(0.5, wide.fraction(Math.sqrt(0.1)), 1e-12);
    Axis narrow = Axis.logarithmic(1.5, 30);
    assertArrayEquals(new double[] {1, 2, 5, 10, 20, 50, 100}, narrow.ticks(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Axis.logarithmic(0, 1));
  }
}
