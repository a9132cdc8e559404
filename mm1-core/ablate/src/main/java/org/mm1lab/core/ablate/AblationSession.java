package org.mm1lab.core.ablate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code mm1 ablate} session that ran children in an ablation folder, as {@code timing.json}
 * records it: when it started and ended, what started it, the machine and how busy it was, and how
 * long each child took. A session that was killed before it could record its end keeps the time of
 * its last record, written every minute while it runs ({@code finished} false).
 *
 * @param provenance the command and the code that ran
 * @param start when the session started its first child
 * @param end when it ended, or its last record while it ran
 * @param finished whether it recorded its end; false for one that was killed or is still running
 * @param jobs children run at a time ({@code --jobs})
 * @param machine the machine it ran on
 * @param loadStart the load averages over 1, 5 and 15 minutes at the start; empty when unknown
 * @param loadEnd the same at {@code end}; empty when unknown
 * @param ran runs completed in this session
 * @param failed runs that failed in this session
 * @param interrupted whether a signal stopped it
 * @param children each child it ran to its end, in the order they ended
 */
public record AblationSession(
    AblationProvenance provenance,
    Instant start,
    Instant end,
    boolean finished,
    int jobs,
    MachineInfo machine,
    List<Double> loadStart,
    List<Double> loadEnd,
    int ran,
    int failed,
    boolean interrupted,
    List<Child> children) {

  /** Checks and copies the fields. */
  public AblationSession {
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(machine, "machine");
    loadStart = List.copyOf(loadStart);
    loadEnd = List.copyOf(loadEnd);
    children = List.copyOf(children);
  }

  /**
   * A child the session ran: an encoder stage or a run.
   *
   * @param name the stage's or run's name
   * @param stage whether it is an encoder pretraining stage
   * @param seconds how long its process ran
   * @param outcome {@code done}, {@code failed} or {@code stopped}
   */
  public record Child(String name, boolean stage, double seconds, String outcome) {}

  /** The session's wall time in seconds, from its start to its end (or last record). */
  public double wallSeconds() {
    return Duration.between(start, end).toMillis() / 1000.0;
  }
}
