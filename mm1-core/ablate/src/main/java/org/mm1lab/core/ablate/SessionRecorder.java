package org.mm1lab.core.ablate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.AtomicFiles;

/**
 * Keeps the timing record of the running {@code mm1 ablate} session in the folder's {@code
 * timing.json}, after the sessions before it: written when the session starts, when each child
 * ends, on every {@link #heartbeat()} and when it ends, so that a session killed without warning
 * still leaves its time up to its last record. Each write replaces the file atomically.
 *
 * <p>An existing {@code timing.json} that cannot be read is left as it is and nothing is recorded
 * (one line says so), rather than overwritten with this session alone.
 */
final class SessionRecorder {

  private final AblationFolder folder;
  private final AblationProvenance provenance;
  private final int jobs;
  private final Clock clock;
  private final Consumer<String> note;
  private final List<AblationSession.Child> children = new ArrayList<>();
  private AblationTiming before;
  private Instant start;
  private MachineInfo machine;
  private List<Double> loadStart = List.of();
  private boolean finished;

  /**
   * @param folder the ablation folder
   * @param provenance what started the session
   * @param jobs children run at a time
   * @param clock the time source
   * @param note where a line goes when the record cannot be kept
   */
  SessionRecorder(
      AblationFolder folder,
      AblationProvenance provenance,
      int jobs,
      Clock clock,
      Consumer<String> note) {
    this.folder = folder;
    this.provenance = provenance;
    this.jobs = jobs;
    this.clock = clock;
    this.note = note;
  }

  /** Reads the sessions before this one and records this one's start. */
  synchronized void begin() {
    try {
      before = AblationTiming.read(folder.timing());
    } catch (UserException e) {
      note.accept(
          "the session's time is not recorded: " + e.getMessage() + "; the file is left as it is");
      return;
    }
    start = clock.instant();
    machine = MachineInfo.probe();
    loadStart = MachineInfo.loadAverages();
    write(0, 0, false, false);
  }

  /** Records a child that ran to its end. */
  synchronized void child(String name, boolean stage, double seconds, String outcome) {
    children.add(new AblationSession.Child(name, stage, seconds, outcome));
    heartbeatLocked();
  }

  /** Moves the session's end to now, until it {@link #finish finishes}. */
  synchronized void heartbeat() {
    heartbeatLocked();
  }

  private void heartbeatLocked() {
    if (!finished) {
      write(ranSoFar(), failedSoFar(), false, false);
    }
  }

  /** Records the end of a session stopped by a signal, with the children recorded so far. */
  synchronized void finishStopped() {
    finish(ranSoFar(), failedSoFar(), true);
  }

  private int ranSoFar() {
    return (int) children.stream().filter(c -> !c.stage() && c.outcome().equals("done")).count();
  }

  private int failedSoFar() {
    return (int) children.stream().filter(c -> !c.stage() && c.outcome().equals("failed")).count();
  }

  /** Records the session's end. */
  synchronized void finish(int ran, int failed, boolean interrupted) {
    if (!finished) {
      write(ran, failed, interrupted, true);
      finished = true;
    }
  }

  private void write(int ran, int failed, boolean interrupted, boolean ended) {
    if (before == null) {
      return;
    }
    AblationSession session =
        new AblationSession(
            provenance,
            start,
            clock.instant(),
            ended,
            jobs,
            machine,
            loadStart,
            MachineInfo.loadAverages(),
            ran,
            failed,
            interrupted,
            children);
    try {
      AtomicFiles.writeString(folder.timing(), before.with(session).toJson());
    } catch (IOException e) {
      note.accept("cannot write " + folder.timing() + ": " + e.getMessage());
      before = null;
    }
  }
}
