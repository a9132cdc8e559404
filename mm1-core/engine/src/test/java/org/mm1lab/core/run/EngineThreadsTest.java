package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

  @Test
  void theIntraOpCountChangesAtRunTimeOnTheCallingThread() throws InterruptedException {
    int before = EngineThreads.current();
    assertTrue(before >= 1, "PyTorch reports its threads: " + before);
    try {
      assertTrue(EngineThreads.set(1));
      assertEquals(1, EngineThreads.current());
      assertTrue(EngineThreads.set(3));
      assertEquals(3, EngineThreads.current());
      // a thread that starts computing afterwards takes the latest count
      AtomicInteger seen = new AtomicInteger();
      Thread later = new Thread(() -> seen.set(EngineThreads.current()));
      later.start();
      later.join();
      assertEquals(3, seen.get());
      // and the same product comes out with any count
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray a = manager.randomNormal(new Shape(64, 96));
        NDArray b = manager.randomNormal(new Shape(96, 80));
        EngineThreads.set(1);
        float[] one = a.matMul(b).toFloatArray();
        EngineThreads.set(2);
        float[] two = a.matMul(b).toFloatArray();
        assertEquals(one.length, two.length);
        for (int i = 0; i < one.length; i++) {
          assertEquals(one[i], two[i], 1e-3f * Math.max(1, Math.abs(one[i])), "element " + i);
        }
      }
    } finally {
      EngineThreads.set(before);
    }
  }

  @Test
  void theEngineIsToldAtStartUpThroughItsProperties() {
    EngineThreads.set(Math.max(1, EngineThreads.current()));
    assertNotNull(System.getProperty(EngineThreads.INTRA_OP));
    assertNotNull(System.getProperty(EngineThreads.INTER_OP));
  }

  @Test
  void noThreadsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> EngineThreads.set(0));
  }
}
