package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * What a scheduler's job runs for one variant, as a POSIX shell script shared by the Slurm and the
 * Kubernetes emitters: the task index picks the variant from a table of every variant (each with
 * its overrides in a comment), a complete variant is left alone, and any other runs {@code mm1 run
 * variant.conf --out DIR}, which resumes it from its checkpoints, its output appended to its {@code
 * log.txt}. The scheduler runs it with {@code MM1_ABLATION_DIR} (the ablation folder as the job
 * sees it) and {@code MM1} (the command that starts mm1) set.
 *
 * @param mm1 the command that starts mm1 where the job runs, e.g. {@code mm1} or {@code
 *     /opt/mm1/mm1}
 * @param cpus CPU cores per variant
 * @param memory memory per variant, e.g. {@code 16G}
 * @param parallelism variants at a time (0: as many as the scheduler allows)
 */
public record ClusterJob(String mm1, int cpus, String memory, int parallelism) {

  /** Checks the fields. */
  public ClusterJob {
    Objects.requireNonNull(mm1, "mm1");
    Objects.requireNonNull(memory, "memory");
  }

  /** The script's lines after the shell is set up; {@code indexVariable} holds the task index. */
  static List<String> body(AblationPlan plan, String indexVariable) {
    List<String> lines = new ArrayList<>();
    lines.add("case \"${" + indexVariable + "}\" in");
    for (int i = 0; i < plan.runs().size(); i++) {
      AblationPlan.Run run = plan.runs().get(i);
      List<String> changes =
          run.overrides().stream().filter(o -> !o.startsWith("mm1.name=")).toList();
      lines.add("  # " + String.join("; ", changes).replace("\n", " "));
      lines.add("  " + i + ") VARIANT='" + run.name() + "' ;;");
    }
    lines.add(
        "  *) echo \"mm1 ablate: no variant ${"
            + indexVariable
            + "}; the indices are 0 to "
            + (plan.runs().size() - 1)
            + "\" >&2; exit 2 ;;");
    lines.add("esac");
    lines.add("RUN=\"${MM1_ABLATION_DIR}/" + Ablation.VARIANTS + "/${VARIANT}\"");
    lines.add("if [ -f \"${RUN}/" + RunLayout.EVAL_RESULTS + "\" ]; then");
    lines.add("  echo \"${VARIANT} is complete\"");
    lines.add("  exit 0");
    lines.add("fi");
    lines.add(
        "echo \"${VARIANT}: ${MM1} run ${RUN}/" + Ablation.VARIANT_CONFIG + " --out ${RUN}\"");
    lines.add("# MM1 is split into words on purpose: it may be a command with arguments.");
    lines.add(
        "exec ${MM1} run \"${RUN}/"
            + Ablation.VARIANT_CONFIG
            + "\" --out \"${RUN}\" >> \"${RUN}/"
            + Ablation.LOG
            + "\" 2>&1");
    return lines;
  }

  /** {@code text} in single quotes for a POSIX shell. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\"'\"'") + "'";
  }
}
