package org.mm1lab.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The matmul peak on the real engine: float32 and float16 products are timed, the FLOP/s is the
 * product's {@code 2 n^3} over the best time, and the matrices are freed. The speed itself is this
 * machine's and no assertion's.
 */
class MatmulPeakTest {

  @Test
  void bothPrecisionsAreMeasuredAndTheirMatricesFreed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
        MatmulPeak.Result peak = MatmulPeak.measure(manager, 48, 3, type);
        assertEquals(48, peak.size(), type.toString());
        assertEquals(3, peak.repeats(), type.toString());
        assertEquals(List.of(peak.flopsPerSecond()), peak.rounds(), type.toString());
        assertTrue(peak.bestSeconds() > 0, type.toString());
        assertEquals(2.0 * 48 * 48 * 48, peak.flopsPerSecond() * peak.bestSeconds(), 1e-3);
        assertTrue(manager.getManagedArrays().isEmpty(), "left behind: " + type);
      }
    }
  }

  @Test
  void aLaterRoundKeepsTheHigherPeakAndEveryRound() {
    MatmulPeak.Result first = new MatmulPeak.Result(64, 2.0e9, 2.62e-4, 5, List.of(2.0e9));
    MatmulPeak.Result both =
        first.and(new MatmulPeak.Result(64, 3.0e9, 1.75e-4, 5, List.of(3.0e9)));
    assertEquals(3.0e9, both.flopsPerSecond());
    assertEquals(1.75e-4, both.bestSeconds());
    assertEquals(10, both.repeats());
    assertEquals(List.of(2.0e9, 3.0e9), both.rounds());
  }

  @Test
  void onlyFloat32AndFloat16AreMeasured() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class, () -> MatmulPeak.measure(manager, 16, 1, DataType.INT32));
    }
  }
}
