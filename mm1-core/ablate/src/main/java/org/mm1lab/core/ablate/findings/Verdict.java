package org.mm1lab.core.ablate.findings;

/**
 * What a measurement says about a finding, by the rules the findings document states: decided from
 * the 95% interval of an effect over seeds, never from its point estimate alone, and never made up
 * where nothing was measured.
 */
public enum Verdict {
  /** The measurement agrees with the paper beyond seed noise. */
  REPRODUCED("reproduced"),
  /** The effect's interval excludes 0 on the side opposite to the paper's. */
  REVERSED("reversed"),
  /** The effect's interval covers 0: seed noise could explain it. */
  WITHIN_NOISE("within noise"),
  /** For a little-effect or rank finding: the measurement disagrees beyond noise. */
  NOT_REPRODUCED("not reproduced"),
  /** Nothing to decide from: no folder, no results at that shot count, or too few seeds. */
  NOT_MEASURED("not measured");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The verdict as the document writes it. */
  public String label() {
    return label;
  }

  /** Whether a measurement was made and it did not agree with the paper. */
  public boolean needsInvestigation() {
    return this != REPRODUCED && this != NOT_MEASURED;
  }
}
