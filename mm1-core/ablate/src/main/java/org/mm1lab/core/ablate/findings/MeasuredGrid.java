package org.mm1lab.core.ablate.findings;

import java.util.Objects;
import org.mm1lab.core.ablate.AblationFolder;
import org.mm1lab.core.ablate.AblationTiming;
import org.mm1lab.core.ablate.Comparison;

/**
 * A grid's ablation folder as the findings read it: its comparison (results over seeds) and its
 * timing record.
 *
 * @param folder the folder
 * @param comparison whatever results it holds
 * @param timing its sessions; none when it records none or its record cannot be read
 * @param timingProblem why its timing record cannot be read; empty when it can (or there is none)
 */
public record MeasuredGrid(
    AblationFolder folder, Comparison comparison, AblationTiming timing, String timingProblem) {

  /** Checks the fields. */
  public MeasuredGrid {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(timingProblem, "timingProblem");
  }

  /** The grid's name, as its {@code ablation.json} records it. */
  public String name() {
    return comparison.plan().name();
  }
}
