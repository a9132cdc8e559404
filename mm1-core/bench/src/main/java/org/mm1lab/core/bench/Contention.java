package org.mm1lab.core.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Competing CPU-bound processes that the bench starts and stops itself: each a JVM running {@link
 * SpinLoad}, a real process the operating system schedules against the engine's threads. Started
 * only once every one of them is spinning; stopped by {@link #close()}, by a shutdown hook if the
 * bench is stopped first, and in any case by themselves at their deadline or when this process is
 * gone.
 */
final class Contention implements AutoCloseable {

  /** How long a competing JVM may take to start spinning. */
  private static final long START_SECONDS = 30;

  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "mm1-bench-contention-stop");

  private Contention() {}

  /**
   * Starts {@code count} competing processes and waits until all of them spin.
   *
   * @param count how many
   * @param seconds the longest any of them runs
   * @throws IllegalStateException when one does not start
   */
  static Contention start(int count, double seconds) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    Contention contention = new Contention();
    Runtime.getRuntime().addShutdownHook(contention.hook);
    try {
      List<String> command = command(seconds);
      for (int i = 0; i < count; i++) {
        contention.processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
      }
      for (Process process : contention.processes) {
        awaitReady(process);
      }
      return contention;
    } catch (IOException e) {
      contention.close();
      throw new UncheckedIOException("cannot start a competing process", e);
    } catch (RuntimeException e) {
      contention.close();
      throw e;
    }
  }

  /** How many processes compete. */
  int count() {
    return processes.size();
  }

  /** Whether every competing process is still running. */
  boolean allAlive() {
    return processes.stream().allMatch(Process::isAlive);
  }

  /** Their process ids. */
  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down, and the hook is stopping them
    }
  }

  private void stopAll() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    for (Process process : processes) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A small JVM running {@link SpinLoad} from the jar or folder this class came from. */
  private static List<String> command(double seconds) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path classes;
    try {
      classes = Path.of(SpinLoad.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the SpinLoad class", e);
    }
    return List.of(
        java.toString(),
        "-Xmx32m",
        "-XX:+UseSerialGC",
        "-cp",
        classes.toString(),
        SpinLoad.class.getName(),
        Long.toString(ProcessHandle.current().pid()),
        String.format(Locale.ROOT, "%.1f", seconds));
  }

  /** Waits for the process's first line, which must say it spins. */
  private static void awaitReady(Process process) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    String first;
    try {
      first = line.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("a competing process did not start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a competing process", e);
    }
    if (!SpinLoad.READY.equals(first)) {
      throw new IllegalStateException("a competing process did not start: " + first);
    }
  }
}
