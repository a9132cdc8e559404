package org.mm1lab.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuLoadTest {

  @TempDir Path dir;

  private CpuLoad.Sample read(String machine, String self) throws IOException {
    Path m = Files.writeString(dir.resolve("stat"), machine);
    Path s = Files.writeString(dir.resolve("self"), self);
    Optional<CpuLoad.Sample> sample = new CpuLoad(m, s).sample();
    assertTrue(sample.isPresent());
    return sample.get();
  }

  /** {@code /proc/PID/stat} of a process whose name has blanks and parentheses in it. */
  private static String self(long utime, long stime) {
    return "4242 (java (mm1) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
        + utime
        + " "
        + stime
        + " 0 0 20 0 30 0 1000 1 1 0\n";
  }

  @Test
  void othersAreTheMachinesBusyTimeLessThisProcesss() throws IOException {
    // two CPUs; between the samples 200 ticks pass (100 per CPU), 150 of them busy, of which
    // this process ran 40: others kept 110 ticks busy, 1.1 cores
    CpuLoad.Sample before =
        read(
            "cpu  1000 10 200 5000 50 5 5 0 0 0\ncpu0 1 1 1 1 1 1 1 0\ncpu1 1 1 1 1 1 1 1 0\n",
            self(300, 20));
    CpuLoad.Sample after =
        read(
            "cpu  1100 20 230 5040 60 10 10 0 0 0\ncpu0 1 1 1 1 1 1 1 0\ncpu1 1 1 1 1 1 1 1 0\n",
            self(330, 30));
    assertEquals(2, after.cpus());
    assertEquals(1.1, after.othersBusyCores(before), 1e-9);
  }

  @Test
  void noTimePassedIsUnknownAndNothingIsNeverNegative() throws IOException {
    String machine = "cpu  10 0 0 10 0 0 0 0\ncpu0 10 0 0 10 0 0 0 0\n";
    CpuLoad.Sample a = read(machine, self(5, 0));
    assertTrue(Double.isNaN(a.othersBusyCores(a)));
    CpuLoad.Sample b = new CpuLoad.Sample(a.busy() + 5, a.total() + 10, a.own() + 6, 1);
    assertEquals(0, b.othersBusyCores(a), "the counters' rounding must not give a negative load");
  }

  @Test
  void unreadableFilesGiveNoSample() throws InterruptedException {
    CpuLoad missing = new CpuLoad(dir.resolve("none"), dir.resolve("none-either"));
    assertTrue(missing.sample().isEmpty());
    assertTrue(Double.isNaN(missing.othersBusyCores(1)));
  }

  @Test
  void thisMachinesCountersAreRead() throws InterruptedException {
    Optional<CpuLoad.Sample> sample = new CpuLoad().sample();
    assertTrue(sample.isPresent(), "Linux has /proc");
    assertTrue(sample.get().cpus() >= 1);
    assertTrue(sample.get().own() >= 0 && sample.get().busy() <= sample.get().total());
    double busy = new CpuLoad().othersBusyCores(50);
    assertTrue(Double.isNaN(busy) || busy >= 0, "busy " + busy);
  }
}
