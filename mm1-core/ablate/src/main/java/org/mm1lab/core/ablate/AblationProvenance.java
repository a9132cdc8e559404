package org.mm1lab.core.ablate;

/**
 * What started an ablation session, for its timing record: the command as typed and the code that
 * ran it, so that a wall time and the results it produced can be traced to a version of mm1.
 *
 * @param command the command line, e.g. {@code mm1 ablate examples/ablations/data.conf --jobs 2}
 * @param version mm1's release, or empty when unknown
 * @param commit the commit of the checkout mm1 was built from ({@code git describe --always}), or
 *     empty when unknown
 */
public record AblationProvenance(String command, String version, String commit) {

  /** Checks the fields. */
  public AblationProvenance {
    java.util.Objects.requireNonNull(command, "command");
    java.util.Objects.requireNonNull(version, "version");
    java.util.Objects.requireNonNull(commit, "commit");
  }

  /** Nothing known: a session started by code rather than by the command line. */
  public static AblationProvenance unknown() {
    return new AblationProvenance("", "", "");
  }
}
