package org.mm1lab.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory from {@code /proc/self/status}: everything the process holds in
 * RAM, the Java heap and the engine's native arrays alike (DJL arrays live outside the heap, so
 * the JVM's own counters would miss a native leak).
 */
public final class ResidentMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ResidentMemory() {}

  /** Resident set size now ({@code VmRSS}), in bytes; -1 where the system does not say. */
  public static long current() {
    return read("VmRSS:");
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
