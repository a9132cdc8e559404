package org.mm1lab.core.eval.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

  /** {@code n} points in {@code d} dimensions: the class's own direction plus noise. */
  private static float[] points(Random random, int[] labels, int d, double signal) {
    float[] x = new float[labels.length * d];
    for (int i = 0; i < labels.length; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (random.nextGaussian() + (j == labels[i] ? signal : 0));
      }
    }
    return x;
  }

  private static int[] labels(Random random, int n, int classes) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(classes);
    }
    return y;
  }

  @Test
  void readsALinearlySeparableLabelAndFreesWhatItUsed() {
    Random random = new Random(1);
    int d = 20;
    int[] fitY = labels(random, 400, 4);
    int[] testY = labels(random, 200, 4);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray fitX = manager.create(points(random, fitY, d, 4), new Shape(400, d));
      NDArray testX = manager.create(points(random, testY, d, 4), new Shape(200, d));
      int arrays = manager.getManagedArrays().size();
      LinearProbe.Accuracy accuracy = LinearProbe.standard().fit(fitX, fitY, testX, testY, 4);
      assertTrue(accuracy.heldOut() > 0.95, "held out " + accuracy.heldOut());
      assertTrue(accuracy.fit() > 0.95, "fit " + accuracy.fit());
      assertEquals(arrays, manager.getManagedArrays().size(), "the probe's arrays are freed");
    }
  }

  @Test
  void findsNothingWhereTheFeaturesCarryNothing() {
    Random random = new Random(2);
    int d = 20;
    int[] fitY = labels(random, 400, 4);
    int[] testY = labels(random, 400, 4);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray fitX = manager.create(points(random, fitY, d, 0), new Shape(400, d));
      NDArray testX = manager.create(points(random, testY, d, 0), new Shape(400, d));
      LinearProbe.Accuracy accuracy = LinearProbe.standard().fit(fitX, fitY, testX, testY, 4);
      // chance is a quarter; a probe that fits noise says so on the fitting split only
      assertTrue(accuracy.heldOut() < 0.35, "held out " + accuracy.heldOut());
      assertTrue(accuracy.fit() > accuracy.heldOut(), "fit " + accuracy.fit());
    }
  }

  @Test
  void refusesSettingsThatCannotFit() {
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(0, 0.01f, 0));
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(10, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(10, 0.01f, -1));
  }
}
