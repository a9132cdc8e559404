package org.mm1lab.core.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C and SIGTERM into a request that long work honours at its next safe point (a training
 * step's end), instead of dying mid-write. The JVM runs shutdown hooks on those signals; the hook
 * here raises the flag and waits (up to a limit) until the work says it has saved and stopped, and
 * only then lets the JVM exit. A {@code kill -9} cannot be caught: atomic checkpoint writes are
 * what protect the run then.
 */
public final class StopSignal implements AutoCloseable {

  private final long graceSeconds;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  /**
   * Installs the hook.
   *
   * @param graceSeconds how long an interrupted JVM waits for the work to save and stop
   */
  public StopSignal(long graceSeconds) {
    this.graceSeconds = graceSeconds;
    this.hook = new Thread(this::onShutdown, "mm1-stop-signal");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** A signal that is raised only by {@link #request()}; for tests and embedding. */
  public static StopSignal manual() {
    return new StopSignal();
  }

  private StopSignal() {
    this.graceSeconds = 0;
    this.hook = null;
  }

  /** Whether the work should stop at its next safe point. */
  public boolean requested() {
    return requested;
  }

  /** Asks the work to stop, as a signal does. */
  public void request() {
    requested = true;
  }

  /** Called by the work once it has saved and will do nothing more. */
  public void acknowledge() {
    stopped.countDown();
  }

  private void onShutdown() {
    requested = true;
    try {
      stopped.await(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Removes the hook: normal completion needs no waiting at exit. */
  @Override
  public void close() {
    stopped.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook returns at once since the latch is open
      }
    }
  }
}
