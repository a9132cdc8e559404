package org.mm1lab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How many cores other work keeps busy: the machine's CPU time from {@code /proc/stat} less this
 * process's own from {@code /proc/self/stat}, over an interval. Unlike the load average, which
 * follows a change over about a minute, this sees a process that started a moment ago; and unlike a
 * count of runnable threads, it counts this process's own threads out exactly, so it can be read
 * while this process computes as well as while it waits.
 */
public final class CpuLoad {

  private static final Path MACHINE = Path.of("/proc/stat");
  private static final Path SELF = Path.of("/proc/self/stat");

  private final Path machine;
  private final Path self;

  /** Reads the running system's {@code /proc}. */
  public CpuLoad() {
    this(MACHINE, SELF);
  }

  /**
   * @param machine a file in {@code /proc/stat}'s format
   * @param self a file in {@code /proc/PID/stat}'s format
   */
  CpuLoad(Path machine, Path self) {
    this.machine = machine;
    this.self = self;
  }

  /**
   * A reading of the CPU time counters, in the kernel's clock ticks.
   *
   * @param busy ticks all CPUs spent on any work (user, nice, system, interrupts, stolen)
   * @param total ticks all CPUs spent, idle included
   * @param own ticks this process's threads ran, user and system
   * @param cpus the CPUs counted
   */
  public record Sample(long busy, long total, long own, int cpus) {

    /**
     * The cores that work other than this process kept busy on average from {@code earlier} to this
     * sample; NaN when no tick passed between them.
     */
    public double othersBusyCores(Sample earlier) {
      long elapsed = total - earlier.total;
      if (elapsed <= 0) {
        return Double.NaN;
      }
      long others = (busy - earlier.busy) - (own - earlier.own);
      return Math.max(0, others) * (double) cpus / elapsed;
    }
  }

  /** The counters now, or empty where {@code /proc} cannot be read (not Linux). */
  public Optional<Sample> sample() {
    try {
      List<String> lines = Files.readAllLines(machine);
      long[] ticks = numbers(lines.get(0), "cpu ");
      int cpus = (int) lines.stream().filter(l -> l.matches("cpu[0-9]+ .*")).count();
      // user nice system idle iowait irq softirq steal; guest time is already inside user
      long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
      long total = busy + ticks[3] + ticks[4];
      // after the command name, which may itself hold blanks and parentheses
      String stat = Files.readString(self);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // fields 14 and 15 of proc(5), utime and stime, are the 12th and 13th after the name
      long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return Optional.of(new Sample(busy, total, own, Math.max(1, cpus)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits {@code millis} and reports the cores other work kept busy meanwhile; NaN where {@code
   * /proc} cannot be read.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public double othersBusyCores(long millis) throws InterruptedException {
    Optional<Sample> before = sample();
    Thread.sleep(millis);
    Optional<Sample> after = sample();
    if (before.isEmpty() || after.isEmpty()) {
      return Double.NaN;
    }
    return after.get().othersBusyCores(before.get());
  }

  private static long[] numbers(String line, String prefix) {
    if (!line.startsWith(prefix)) {
      throw new IllegalArgumentException("not a CPU line: " + line);
    }
    String[] fields = line.substring(prefix.length()).trim().split("\\s+");
    long[] values = new long[8];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < fields.length ? Long.parseLong(fields[i]) : 0;
    }
    return values;
  }
}
