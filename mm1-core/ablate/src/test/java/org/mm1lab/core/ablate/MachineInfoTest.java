package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine and load averages read from /proc texts, and the timing record's round trip. */
class MachineInfoTest {

  @TempDir Path dir;

  @Test
  void theProcessorMemoryAndLoadAreReadFromProcTexts() {
    String cpuinfo =
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)  CPU @"
            + " 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n";
    assertEquals("Intel(R) Xeon(R) CPU @ 2.20GHz", MachineInfo.cpuModel(cpuinfo));
    assertEquals("", MachineInfo.cpuModel("processor : 0\nHardware : BCM2835\n"));
    // 8,000,000 kB = 8,192,000,000 bytes.
    assertEquals(
        8_192_000_000L, MachineInfo.memoryBytes("MemTotal:        8000000 kB\nMemFree:  100 kB\n"));
    assertEquals(-1, MachineInfo.memoryBytes("MemFree: 100 kB\n"));
    assertEquals(List.of(1.25, 0.5, 0.05), MachineInfo.loadAverages("1.25 0.50 0.05 2/345 6789\n"));
    assertEquals(List.of(), MachineInfo.loadAverages(""));
    assertEquals(List.of(), MachineInfo.loadAverages("a b c"));
    assertEquals(
        "2 cores, Intel(R) Xeon(R) CPU @ 2.20GHz, 7.6 GiB memory",
        new MachineInfo(2, "Intel(R) Xeon(R) CPU @ 2.20GHz", 8_192_000_000L).describe());
    assertEquals("1 core", new MachineInfo(1, "", -1).describe());
    assertEquals(
        "1.25 / 0.50 / 0.05 (1, 5, 15 min)", MachineInfo.describeLoad(List.of(1.25, 0.5, 0.05)));
    assertEquals("", MachineInfo.describeLoad(List.of()));
  }

  @Test
  void aTimingRecordReadsBackAsWrittenAndSumsItsSessions() throws IOException {
    Instant start = Instant.parse("2025-03-01T10:00:00Z");
    AblationSession one =
        new AblationSession(
            new AblationProvenance("mm1 ablate g.conf", "0.1.0", "abc"),
            start,
            start.plusSeconds(90),
            true,
            2,
            new MachineInfo(2, "CPU", 1L << 30),
            List.of(1.0, 2.0, 3.0),
            List.of(),
            3,
            1,
            false,
            List.of(new AblationSession.Child("stage-x", true, 12.5, "done")));
    AblationSession two =
        new AblationSession(
            AblationProvenance.unknown(),
            start.plusSeconds(3600),
            start.plusSeconds(3631),
            false,
            1,
            new MachineInfo(4, "", -1),
            List.of(),
            List.of(0.5, 0.5, 0.5),
            0,
            0,
            true,
            List.of());
    AblationTiming timing = new AblationTiming(List.of(one, two));
    // 90 s + 31 s.
    assertEquals(121.0, timing.totalWallSeconds(), 1e-9);
    Path file = dir.resolve("timing.json");
    Files.writeString(file, timing.toJson());
    assertEquals(timing, AblationTiming.read(file));
    Files.delete(file);
    assertEquals(List.of(), AblationTiming.read(file).sessions(), "no file, no sessions");
  }
}
