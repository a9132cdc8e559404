package org.mm1lab.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentionTest {

  @Test
  void competitorsAreRealProcessesThatBurnCpuAndStopWhenClosed() throws InterruptedException {
    List<ProcessHandle> handles = new ArrayList<>();
    try (Contention contention = Contention.start(2, 120)) {
      assertEquals(2, contention.count());
      for (long pid : contention.pids()) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        assertTrue(handle.isPresent() && handle.get().isAlive(), "pid " + pid);
        handles.add(handle.get());
      }
      Duration first = cpu(handles.get(0));
      Thread.sleep(500);
      assertTrue(cpu(handles.get(0)).compareTo(first) > 0, "a competitor computes");
      assertTrue(contention.allAlive());
    }
    for (ProcessHandle handle : handles) {
      assertFalse(handle.isAlive(), "pid " + handle.pid() + " outlived the contention");
    }
  }

  @Test
  void aCompetitorStopsByItselfAtItsDeadline() {
    try (Contention contention = Contention.start(1, 0.5)) {
      ProcessHandle handle = ProcessHandle.of(contention.pids().get(0)).orElseThrow();
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> handle.onExit().join());
      assertFalse(contention.allAlive());
    }
  }

  @Test
  void noCompetitorsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Contention.start(0, 10));
  }

  @Test
  void aSpinEndsWhenItsParentIsGoneOrItsDeadlinePasses() throws IOException, InterruptedException {
    Process parent = new ProcessBuilder("true").start();
    parent.waitFor();
    long gone = parent.pid();
    long farAway = System.nanoTime() + Duration.ofHours(1).toNanos();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> SpinLoad.spin(gone, farAway));
    long self = ProcessHandle.current().pid();
    assertTimeoutPreemptively(
        Duration.ofSeconds(30), () -> SpinLoad.spin(self, System.nanoTime() + 50_000_000L));
  }

  @Test
  void aSpinLoadWithoutItsArgumentsSaysHowToStartIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path classes =
        Path.of(SpinLoad.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process process =
        new ProcessBuilder(java.toString(), "-cp", classes.toString(), SpinLoad.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.waitFor());
    assertTrue(output.startsWith("usage: SpinLoad PARENT_PID SECONDS"), output);
  }

  private static Duration cpu(ProcessHandle handle) {
    return handle.info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
