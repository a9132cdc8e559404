package org.mm1lab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingMathTest {

  private static Parameter parameter(NDManager manager, float[] values, Shape shape) {
    Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
    NDArray array = manager.create(values, shape);
    array.setRequiresGradient(true);
    parameter.setArray(array);
    return parameter;
  }

  /** Sets d(loss)/dw = gradient by back-propagating sum(w * gradient). */
  private static void backward(Parameter parameter, float[] gradient) {
    NDArray w = parameter.getArray();
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(w.mul(w.getManager().create(gradient, w.getShape())).sum());
    }
  }

  @Test
  void adamWFirstStepMatchesHandComputation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter w = parameter(manager, new float[] {1f, 2f}, new Shape(1, 2));
      AdamW adam = new AdamW(manager.newSubManager(), 0.9, 0.999, 1e-8, 0.01);
      backward(w, new float[] {0.5f, -1f});
      adam.update(List.of(new AbstractMap.SimpleEntry<>("w", w)), 0.1);
      // Bias-corrected first step: m^ = g, v^ = g^2, so the step is sign(g) + 0.01 w, times 0.1.
      assertArrayEquals(
          new float[] {1f - 0.1f * (1f + 0.01f), 2f - 0.1f * (-1f + 0.02f)},
          w.getArray().toFloatArray(),
          1e-6f);
      assertEquals(1, adam.step());
    }
  }

  @Test
  void aParametersRateScaleMultipliesItsStepAndDecay() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter scaled = parameter(manager, new float[] {1f, 2f}, new Shape(1, 2));
      Parameter plain = parameter(manager, new float[] {1f, 2f}, new Shape(1, 2));
      AdamW adam =
          new AdamW(
              manager.newSubManager(),
              0.9,
              0.999,
              1e-8,
              0.01,
              name -> name.equals("scaled") ? 0.25 : 1.0);
      backward(scaled, new float[] {0.5f, -1f});
      backward(plain, new float[] {0.5f, -1f});
      adam.update(
          List.of(
              new AbstractMap.SimpleEntry<>("scaled", scaled),
              new AbstractMap.SimpleEntry<>("plain", plain)),
          0.1);
      // the first step is sign(g) + 0.01 w, times the rate: 0.025 for the scaled one
      assertArrayEquals(
          new float[] {1f - 0.025f * (1f + 0.01f), 2f - 0.025f * (-1f + 0.02f)},
          scaled.getArray().toFloatArray(),
          1e-6f);
      assertArrayEquals(
          new float[] {1f - 0.1f * (1f + 0.01f), 2f - 0.1f * (-1f + 0.02f)},
          plain.getArray().toFloatArray(),
          1e-6f);
    }
  }

  @Test
  void biasesAndNormGainsAreNotDecayed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter bias = parameter(manager, new float[] {1f}, new Shape(1));
      AdamW adam = new AdamW(manager.newSubManager(), 0.9, 0.999, 1e-8, 0.5);
      backward(bias, new float[] {2f});
      adam.update(List.of(new AbstractMap.SimpleEntry<>("b", bias)), 0.1);
      assertEquals(0.9f, bias.getArray().getFloat(0), 1e-6f);
    }
  }

  @Test
  void restoredStateContinuesWithTheSameNumbers() {
    float[][] gradients = {{0.3f, -0.2f}, {0.1f, 0.4f}, {-0.5f, 0.2f}, {0.2f, 0.2f}, {-0.1f, 0.3f}};
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter straight = parameter(manager, new float[] {1f, -1f}, new Shape(1, 2));
      AdamW straightAdam = new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, 0.1);
      for (float[] g : gradients) {
        backward(straight, g);
        straightAdam.update(List.of(new AbstractMap.SimpleEntry<>("w", straight)), 0.05);
      }

      Parameter resumed = parameter(manager, new float[] {1f, -1f}, new Shape(1, 2));
      NDManager firstRun = manager.newSubManager();
      AdamW first = new AdamW(firstRun, 0.9, 0.95, 1e-8, 0.1);
      for (int i = 0; i < 2; i++) {
        backward(resumed, gradients[i]);
        first.update(List.of(new AbstractMap.SimpleEntry<>("w", resumed)), 0.05);
      }
      Map<String, NDArray> saved = new HashMap<>();
      // As a checkpoint would: copies that outlive the first run's manager.
      first
          .state()
          .forEach(
              (k, v) -> {
                NDArray copy = v.duplicate();
                copy.attach(manager);
                saved.put(k, copy);
              });
      long steps = first.step();
      firstRun.close();

      AdamW second = new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, 0.1);
      second.restore(saved, steps);
      for (int i = 2; i < gradients.length; i++) {
        backward(resumed, gradients[i]);
        second.update(List.of(new AbstractMap.SimpleEntry<>("w", resumed)), 0.05);
      }
      assertArrayEquals(straight.getArray().toFloatArray(), resumed.getArray().toFloatArray(), 0f);
    }
  }

  @Test
  void scheduleWarmsUpLinearlyThenDecaysByCosine() {
    LearningRateSchedule schedule = new LearningRateSchedule(1.0, 4, 14, 0.1);
    assertEquals(0.25, schedule.at(0), 1e-12);
    assertEquals(1.0, schedule.at(3), 1e-12);
    assertEquals(1.0, schedule.at(4), 1e-12);
    // Step 8 is decay step 4 of 10 (progress 4 / 9): 0.1 + 0.9 * 0.5 * (1 + cos(4 pi / 9)).
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 4 / 9)), schedule.at(8), 1e-12);
    assertEquals(0.1, schedule.at(13), 1e-12);
    assertEquals(0.1, schedule.at(20), 1e-12);
  }

  @Test
  void lossIsTheMaskedMeanCrossEntropy() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // One row, 3 positions, vocabulary 2.
      NDArray logits = manager.create(new float[] {0f, 0f, 2f, 0f, 0f, 3f}, new Shape(1, 3, 2));
      NDArray labels = manager.create(new int[] {1, 0, 1}, new Shape(1, 3));
      NDArray mask = manager.create(new float[] {1f, 1f, 0f}, new Shape(1, 3));
      double expected = (Math.log(2) + Math.log(1 + Math.exp(-2))) / 2;
      assertEquals(expected, NextTokenLoss.compute(logits, labels, mask).getFloat(), 1e-6);
      NDArray none = manager.zeros(new Shape(1, 3));
      assertEquals(0f, NextTokenLoss.compute(logits, labels, none).getFloat(), 0f);
    }
  }

  @Test
  void lossOverLogitsAtTargetPositionsOnlyIsTheSameMaskedMean() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // Two rows of 3 positions, vocabulary 2; targets at positions 0, 1 (row 0) and 5 (row 1).
      NDArray labels = manager.create(new int[] {1, 0, 1, 0, 0, 0}, new Shape(2, 3));
      NDArray mask = manager.create(new float[] {1f, 1f, 0f, 0f, 0f, 1f}, new Shape(2, 3));
      NDArray positions = NextTokenLoss.targetPositions(mask);
      assertArrayEquals(new long[] {0, 1, 5}, positions.toLongArray());
      // the decoder's rows for those positions: logits (0, 0), (2, 0), (1, 3)
      NDArray listed = manager.create(new float[] {0f, 0f, 2f, 0f, 1f, 3f}, new Shape(3, 2));
      double expected = (Math.log(2) + Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(2))) / 3;
      assertEquals(
          expected, NextTokenLoss.compute(listed, labels, mask, positions).getFloat(), 1e-6);
      // the same rows inside full logits, whatever the other positions hold
      NDArray full =
          manager.create(
              new float[] {0f, 0f, 2f, 0f, 9f, -9f, 5f, 5f, -7f, 7f, 1f, 3f}, new Shape(2, 3, 2));
      assertEquals(expected, NextTokenLoss.compute(full, labels, mask, positions).getFloat(), 1e-6);
      assertNull(NextTokenLoss.targetPositions(manager.zeros(new Shape(2, 3))));
      IllegalArgumentException wrongCount =
          assertThrows(
              IllegalArgumentException.class,
              () -> NextTokenLoss.compute(listed.get("0:2"), labels, mask, positions));
      assertTrue(wrongCount.getMessage().contains("(2, 2)"), wrongCount.getMessage());
    }
  }

  @Test
  void aPositionWithoutTargetCannotPoisonTheLossOrItsGradient() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // Position 3 has no target, and its label's log-probability is -inf (logit -inf).
      NDArray logits =
          manager.create(
              new float[] {0f, 0f, 2f, 0f, 0f, Float.NEGATIVE_INFINITY}, new Shape(1, 3, 2));
      logits.setRequiresGradient(true);
      NDArray labels = manager.create(new int[] {1, 0, 1}, new Shape(1, 3));
      NDArray mask = manager.create(new float[] {1f, 1f, 0f}, new Shape(1, 3));
      double expected = (Math.log(2) + Math.log(1 + Math.exp(-2))) / 2;
      try (ai.djl.training.GradientCollector collector =
          ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        NDArray loss = NextTokenLoss.compute(logits, labels, mask);
        assertEquals(expected, loss.getFloat(), 1e-6);
        collector.backward(loss);
      }
      for (float g : logits.getGradient().toFloatArray()) {
        assertTrue(
            Float.isFinite(g),
            "gradient " + java.util.Arrays.toString(logits.getGradient().toFloatArray()));
      }
    }
  }
}
