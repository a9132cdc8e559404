package org.mm1lab.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The system's one-minute load average, reported with every benchmark: on a shared machine other
 * processes take cores from the engine, and the figures mean little without it.
 */
final class LoadAverage {

  private LoadAverage() {}

  /** The one-minute load average, or NaN where the system does not say. */
  static double oneMinute() {
    try {
      String text = Files.readString(Path.of("/proc/loadavg")).trim();
      return Double.parseDouble(text.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
