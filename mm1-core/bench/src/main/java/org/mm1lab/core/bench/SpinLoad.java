package org.mm1lab.core.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A competing CPU-bound process for {@code mm1 bench --contend}: one thread of integer arithmetic,
 * like a compiler or another training job holding a core. It prints one line when it starts
 * spinning, and ends on its own at its deadline or as soon as the process that started it is gone,
 * so that it cannot outlive a bench that was killed.
 */
public final class SpinLoad {

  /** The line printed once spinning, which {@link Contention} waits for. */
  static final String READY = "spinning";

  /** Arithmetic rounds between looks at the clock and at the parent (well under a millisecond). */
  private static final int ROUNDS = 1 << 16;

  /** How often the parent is looked for. */
  private static final long PARENT_CHECK_NANOS = 100_000_000L;

  private SpinLoad() {}

  /**
   * Spins.
   *
   * @param args the parent's process id and the most seconds to run
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    if (args.length != 2) {
      out.println("usage: SpinLoad PARENT_PID SECONDS");
      System.exit(2);
    }
    long parent = Long.parseLong(args[0]);
    long deadline = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
    out.println(READY);
    out.println("checksum " + spin(parent, deadline));
  }

  /** Spins until {@code deadline} ({@link System#nanoTime()}) or until {@code parent} has ended. */
  static long spin(long parent, long deadline) {
    long state = 88172645463325252L;
    long nextCheck = 0;
    while (true) {
      for (int i = 0; i < ROUNDS; i++) {
        // xorshift: real work the JIT cannot fold away, since the result is printed
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        return state;
      }
      if (now - nextCheck >= 0) {
        nextCheck = now + PARENT_CHECK_NANOS;
        Optional<ProcessHandle> handle = ProcessHandle.of(parent);
        if (handle.isEmpty() || !handle.get().isAlive()) {
          return state;
        }
      }
    }
  }
}
