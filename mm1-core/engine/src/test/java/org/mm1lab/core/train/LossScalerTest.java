package org.mm1lab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mm1lab.core.config.TrainSettings.LossScaling;

/** {@link LossScaler}: GradScaler's policy of backing off on overflow and growing when calm. */
class LossScalerTest {

  private static final LossScaling TORCH_DEFAULTS = new LossScaling(65536, 2.0, 0.5, 2000);

  @Test
  void startsAtTheInitialScale() {
    LossScaler scaler = new LossScaler(TORCH_DEFAULTS);
    assertEquals(new LossScaler.State(65536, 0, 0), scaler.state());
    assertEquals(65536, scaler.scale());
  }

  @Test
  void anOverflowHalvesTheScaleCountsTheSkipAndRestartsTheRun() {
    LossScaler scaler = new LossScaler(new LossScaling(1024, 2.0, 0.5, 3));
    scaler.update(false);
    scaler.update(false);
    scaler.update(true);
    assertEquals(new LossScaler.State(512, 0, 1), scaler.state());
    // the run of good steps starts over: two more are not yet three in a row
    scaler.update(false);
    scaler.update(false);
    assertEquals(new LossScaler.State(512, 2, 1), scaler.state());
    scaler.update(false);
    assertEquals(new LossScaler.State(1024, 0, 1), scaler.state());
  }

  @Test
  void growsAfterEveryIntervalOfGoodSteps() {
    LossScaler scaler = new LossScaler(new LossScaling(8, 4.0, 0.25, 2));
    for (int i = 0; i < 6; i++) {
      scaler.update(false);
    }
    assertEquals(new LossScaler.State(512, 0, 0), scaler.state());
    scaler.update(true);
    scaler.update(true);
    assertEquals(new LossScaler.State(32, 0, 2), scaler.state());
    assertEquals(2, scaler.skippedSteps());
  }

  @Test
  void restoredStateContinuesAsTheOriginalWould() {
    LossScaler original = new LossScaler(new LossScaling(64, 2.0, 0.5, 3));
    original.update(false);
    original.update(true);
    original.update(false);
    LossScaler resumed = new LossScaler(new LossScaling(64, 2.0, 0.5, 3));
    resumed.restore(original.state());
    for (boolean overflow : new boolean[] {false, false, true, false}) {
      original.update(overflow);
      resumed.update(overflow);
      assertEquals(original.state(), resumed.state());
    }
  }

  @Test
  void aStateOutOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(0, 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new LossScaler.State(Double.POSITIVE_INFINITY, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(Double.NaN, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(1, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new LossScaler.State(1, 0, -1));
  }
}
