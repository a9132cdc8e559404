package org.mm1lab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The time left from the speed of the last 30 seconds: after the machine slows down, the estimate
 * follows the new speed within the window, where the run's average would lag far behind. Times come
 * from a fake clock.
 */
class RecentSpeedTest {

  @Test
  void theEstimateFollowsASlowdownWithinTheWindow() {
    RecentSpeed speed = new RecentSpeed(0, 0);
    assertTrue(Double.isNaN(speed.secondsLeft(100)), "unknown before the first step");
    double now = 0;
    int step = 0;
    for (; step < 40; ) { // 40 steps at 1 s each
      now += 1;
      speed.record(++step, now);
    }
    assertEquals(1.0, speed.stepsPerSecond(), 1e-12);
    assertEquals(60, speed.secondsLeft(100), 1e-9);
    for (int i = 0; i < 8; i++) { // 8 steps at 4 s each: 32 s, past the window
      now += 4;
      speed.record(++step, now);
    }
    // the window holds only the slow steps: 52 steps left at 4 s
    assertEquals(0.25, speed.stepsPerSecond(), 1e-12);
    assertEquals(52 * 4, speed.secondsLeft(100), 1e-9);
    double average = now / step;
    assertTrue(
        52 * average < 0.5 * speed.secondsLeft(100), "the run's average would halve the estimate");
  }

  @Test
  void halfwayThroughTheWindowBothSpeedsCount() {
    RecentSpeed speed = new RecentSpeed(0, 0, 10);
    for (int step = 1; step <= 20; step++) {
      speed.record(step, step); // 1 step/s
    }
    speed.record(21, 22);
    speed.record(22, 24); // 2 s each
    // the window reaches back to the report at 14 s (step 14): 8 steps in 10 s
    assertEquals(0.8, speed.stepsPerSecond(), 1e-12);
  }

  @Test
  void reportsFartherApartThanTheWindowUseTheLastInterval() {
    RecentSpeed speed = new RecentSpeed(0, 0);
    speed.record(50, 100);
    speed.record(100, 150);
    speed.record(150, 350);
    assertEquals(50.0 / 200, speed.stepsPerSecond(), 1e-12);
    assertEquals(200, speed.secondsLeft(200), 1e-9);
    assertEquals(0, speed.secondsLeft(150), "done");
  }

  @Test
  void aResumedRunCountsFromItsFirstStepAndFastStepsKeepMemoryBounded() {
    RecentSpeed speed = new RecentSpeed(1000, 0);
    for (int step = 1001; step <= 1000 + 10 * RecentSpeed.MAX_REPORTS; step++) {
      speed.record(step, (step - 1000) * 0.001); // 1000 steps/s: the cap is the window
    }
    assertEquals(1000, speed.stepsPerSecond(), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> new RecentSpeed(0, 0, 0));
  }

  @Test
  void theProgressLineShowsLearningRateElapsedTimeAndTheRecentEta() {
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), false, "train", 0, 100, 10, nanos::get);
    for (int step = 1; step <= 40; step++) {
      nanos.addAndGet(1_000_000_000L);
      progress.step(step, 0.5, 3e-4, 1000, "tok/s");
    }
    for (int step = 41; step <= 50; step++) {
      nanos.addAndGet(4_000_000_000L);
      progress.step(step, 0.25, 2e-4, 250, "tok/s");
    }
    List<String> lines = text.toString().lines().toList();
    assertEquals(
        List.of(
            "train 1/100  loss 0.5000  lr 3.0e-04  1000 tok/s  elapsed 1s  eta 1m39s",
            "train 10/100  loss 0.5000  lr 3.0e-04  1000 tok/s  elapsed 10s  eta 1m30s",
            "train 20/100  loss 0.5000  lr 3.0e-04  1000 tok/s  elapsed 20s  eta 1m20s",
            "train 30/100  loss 0.5000  lr 3.0e-04  1000 tok/s  elapsed 30s  eta 1m10s",
            "train 40/100  loss 0.5000  lr 3.0e-04  1000 tok/s  elapsed 40s  eta 1m00s",
            "train 50/100  loss 0.2500  lr 2.0e-04  250 tok/s  elapsed 1m20s  eta 3m20s"),
        lines);
  }

  @Test
  void theBarOnATerminalShowsTheSameFiguresAndNoLearningRateWhenNotGiven() {
    AtomicLong nanos = new AtomicLong();
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), true, "bench", 0, 4, 1, nanos::get);
    nanos.addAndGet(2_000_000_000L);
    progress.step(1, 1.5, 100, "tok/s");
    progress.finish();
    assertEquals(
        "\r[######------------------] bench 1/4  loss 1.5000  100 tok/s  elapsed 2s  eta 6s   "
            + System.lineSeparator(),
        text.toString());
  }
}
