package org.mm1lab.core.ablate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The machine an ablation ran on, as its timing record keeps it: a wall time means little without
 * the cores, the processor and how busy the machine was. Read from Linux's {@code /proc}; on other
 * systems the processor model, memory and load averages are unknown (and said to be).
 *
 * @param cores the processors available to the JVM, as {@code nproc} counts them
 * @param cpuModel the processor's model name from {@code /proc/cpuinfo}; empty when unknown
 * @param memoryBytes the total memory from {@code /proc/meminfo}; -1 when unknown
 */
public record MachineInfo(int cores, String cpuModel, long memoryBytes) {

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path LOADAVG = Path.of("/proc/loadavg");

  /** Checks the fields. */
  public MachineInfo {
    java.util.Objects.requireNonNull(cpuModel, "cpuModel");
  }

  /** This machine. */
  public static MachineInfo probe() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(read(CPUINFO)),
        memoryBytes(read(MEMINFO)));
  }

  /**
   * The load averages over 1, 5 and 15 minutes now; empty where the system does not say. On a
   * shared machine other processes take cores from the runs, so a wall time is read against them.
   */
  public static List<Double> loadAverages() {
    return loadAverages(read(LOADAVG));
  }

  /** The first {@code model name} of a {@code /proc/cpuinfo} text; empty when it has none. */
  static String cpuModel(String cpuinfo) {
    for (String line : cpuinfo.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
        return line.substring(colon + 1).trim().replaceAll("\\s+", " ");
      }
    }
    return "";
  }

  /** {@code MemTotal} of a {@code /proc/meminfo} text in bytes; -1 when it has none. */
  static long memoryBytes(String meminfo) {
    for (String line : meminfo.lines().toList()) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 2 && parts[0].equals("MemTotal:")) {
        try {
          long value = Long.parseLong(parts[1]);
          // The kernel writes "kB" and means KiB.
          return parts.length > 2 && parts[2].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** The three load averages of a {@code /proc/loadavg} text; empty when it is not one. */
  static List<Double> loadAverages(String loadavg) {
    String[] parts = loadavg.trim().split("\\s+");
    if (parts.length < 3) {
      return List.of();
    }
    List<Double> loads = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        loads.add(Double.parseDouble(parts[i]));
      }
    } catch (NumberFormatException e) {
      return List.of();
    }
    return List.copyOf(loads);
  }

  /**
   * {@code 2 cores, Intel(R) Xeon(R) CPU @ 2.20GHz, 7.8 GiB memory}, leaving out what is unknown.
   */
  public String describe() {
    StringBuilder text = new StringBuilder().append(cores).append(cores == 1 ? " core" : " cores");
    if (!cpuModel.isEmpty()) {
      text.append(", ").append(cpuModel);
    }
    if (memoryBytes > 0) {
      text.append(
          String.format(Locale.ROOT, ", %.1f GiB memory", memoryBytes / (double) (1L << 30)));
    }
    return text.toString();
  }

  /** Load averages as {@code 1.20 / 0.80 / 0.50 (1, 5, 15 min)}; empty for none. */
  public static String describeLoad(List<Double> loads) {
    if (loads.size() != 3) {
      return "";
    }
    return String.format(
        Locale.ROOT, "%.2f / %.2f / %.2f (1, 5, 15 min)", loads.get(0), loads.get(1), loads.get(2));
  }

  /** A file's text, or empty when it cannot be read (not Linux, or no permission). */
  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
