package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * A Slurm job array script that runs an ablation's variants, one per array task ({@code #SBATCH
 * --array=0-(n-1)}, the task index {@code SLURM_ARRAY_TASK_ID}), each with the same {@code mm1 run}
 * as {@code mm1 ablate} would start. Submit it with {@code sbatch}; resubmitting runs only what is
 * not complete. The ablation folder must be visible to the compute nodes at the same path (or set
 * {@code MM1_ABLATION_DIR}).
 */
public final class SlurmScript {

  private SlurmScript() {}

  /** The script for the ablation in {@code folder}. */
  public static String render(AblationPlan plan, AblationFolder folder, ClusterJob job) {
    int n = plan.runs().size();
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add(
        "# Slurm job array for the ablation "
            + plan.name()
            + ": "
            + n
            + " variants, one per array task.");
    lines.add(
        "# Written by mm1 ablate --emit slurm. Submit:   sbatch "
            + folder.root().resolve(Ablation.SLURM));
    lines.add("# Then merge what the tasks produced:         mm1 ablate report " + folder.root());
    lines.add(
        "# Resubmitting runs only the variants without "
            + RunLayout.EVAL_RESULTS
            + " (unfinished ones resume).");
    lines.add(
        "# Set MM1 to the command that starts mm1 on the nodes (default: " + job.mm1() + "), and");
    lines.add("# adjust the #SBATCH lines (partition, time, account) to your cluster.");
    lines.add("#SBATCH --job-name=mm1-" + plan.name());
    lines.add(
        "#SBATCH --array=0-" + (n - 1) + (job.parallelism() > 0 ? "%" + job.parallelism() : ""));
    lines.add("#SBATCH --ntasks=1");
    lines.add("#SBATCH --cpus-per-task=" + job.cpus());
    lines.add("#SBATCH --mem=" + job.memory());
    lines.add("#SBATCH --time=24:00:00");
    lines.add("#SBATCH --output=" + folder.variants().resolve("slurm-%A_%a.out"));
    lines.add("set -eu");
    lines.add(
        "if [ -z \"${MM1_ABLATION_DIR:-}\" ]; then MM1_ABLATION_DIR="
            + ClusterJob.quote(folder.root().toString())
            + "; fi");
    lines.add("if [ -z \"${MM1:-}\" ]; then MM1=" + ClusterJob.quote(job.mm1()) + "; fi");
    lines.add("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-" + job.cpus() + "}\"");
    lines.add(": \"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch, as a job array}\"");
    lines.addAll(ClusterJob.body(plan, "SLURM_ARRAY_TASK_ID"));
    return String.join("\n", lines) + "\n";
  }
}
