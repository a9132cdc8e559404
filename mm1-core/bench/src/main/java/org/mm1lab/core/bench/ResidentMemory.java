package org.mm1lab.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory from {@code /proc/self/status}: everything the process holds in
 * RAM, the Java heap and the engine's native arrays alike (DJL arrays live outside the heap, so the
 * JVM's own counters would miss a native leak).
 */
public final class ResidentMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /** Resident set size now ({@code VmRSS}), in bytes; -1 where the system does not say. */
  public static long current() {
    return read("VmRSS:");
  }

  /**
   * A steady-state reading: a full garbage collection first, so that garbage the JVM has simply not
   * collected yet (and heap it can hand back) does not pass for growth, then the resident set and
   * the Java heap's committed size; what remains of the resident set is native memory (the engine's
   * arrays, its allocator's caches, thread stacks, the JVM itself).
   */
  public static Reading steady() {
    System.gc();
    return new Reading(current(), Runtime.getRuntime().totalMemory());
  }

  /**
   * One reading.
   *
   * @param resident the resident set in bytes, -1 when unknown
   * @param heap the Java heap's committed bytes
   */
  public record Reading(long resident, long heap) {

    /** The resident set beyond the Java heap, -1 when unknown. */
    public long nativeBytes() {
      return resident < 0 ? -1 : resident - heap;
    }
  }

  /** The peak resident set size so far ({@code VmHWM}), in bytes; -1 where unknown. */
  public static long peak() {
    return read("VmHWM:");
  }

  private static long read(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted: the figure is reported as unknown
    }
    return -1;
  }
}
