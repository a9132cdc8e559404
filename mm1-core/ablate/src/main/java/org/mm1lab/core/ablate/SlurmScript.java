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
    if (!plan.stages().isEmpty()) {
      return withStages(plan, folder, job);
    }
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

  /**
   * With encoder stages the script submits itself: run with {@code bash}, outside a job, it submits
   * the stages as one array ({@code sbatch --parsable --array=0-(k-1) slurm.sh stage}), then for
   * each stage one array of the variants that load its encoder, with {@code
   * --dependency=afterok:<stages job>_<stage index>} (a dependency on one task of an array), so a
   * variant starts once its own stage has succeeded, and a failed stage cancels only its variants
   * ({@code --kill-on-invalid-dep=yes}). Inside a job the first argument says which kind of task it
   * is.
   */
  private static String withStages(AblationPlan plan, AblationFolder folder, ClusterJob job) {
    int n = plan.runs().size();
    int k = plan.stages().size();
    String limit = job.parallelism() > 0 ? "%" + job.parallelism() : "";
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add(
        "# Slurm jobs for the ablation "
            + plan.name()
            + ": "
            + k
            + " encoder pretraining stages (one job array), then "
            + n
            + " variants (one array per stage).");
    lines.add("# Written by mm1 ablate --emit slurm. Submit (it calls sbatch itself):");
    lines.add("#   bash " + folder.root().resolve(Ablation.SLURM));
    lines.add(
        "# Each variant array waits for its stage's array task (--dependency=afterok:JOB_TASK);"
            + " a stage");
    lines.add(
        "# that fails cancels only the variants that load its encoder"
            + " (--kill-on-invalid-dep=yes).");
    lines.add("# Then merge what the tasks produced:         mm1 ablate report " + folder.root());
    lines.add(
        "# Submitting again runs only what is not complete (stages with "
            + Ablation.STAGE_DONE
            + ", variants with "
            + RunLayout.EVAL_RESULTS
            + ").");
    lines.add(
        "# Set MM1 to the command that starts mm1 on the nodes (default: " + job.mm1() + "), and");
    lines.add("# adjust the #SBATCH lines (partition, time, account) to your cluster.");
    lines.add("#SBATCH --job-name=mm1-" + plan.name());
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
    lines.add("export MM1_ABLATION_DIR");
    lines.add("if [ -z \"${MM1:-}\" ]; then MM1=" + ClusterJob.quote(job.mm1()) + "; fi");
    lines.add("if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then");
    lines.add("  # Not inside a job: submit the stages, then each stage's variants after it.");
    lines.add(
        "  STAGES=$(sbatch --parsable --array=0-"
            + (k - 1)
            + limit
            + " --job-name=mm1-"
            + plan.name()
            + "-stages \"$0\" stage)");
    lines.add("  STAGES=\"${STAGES%%;*}\"");
    lines.add("  echo \"stages: job array ${STAGES}\"");
    for (int s = 0; s < k; s++) {
      String stage = plan.stages().get(s).name();
      List<String> indices = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (stage.equals(plan.runs().get(i).stage())) {
          indices.add(Integer.toString(i));
        }
      }
      if (indices.isEmpty()) {
        continue;
      }
      lines.add(
          "  V=$(sbatch --parsable --array="
              + String.join(",", indices)
              + limit
              + " --dependency=afterok:${STAGES}_"
              + s
              + " --kill-on-invalid-dep=yes \"$0\" variant)");
      lines.add("  echo \"variants of stage " + stage + ": job array ${V%%;*}\"");
    }
    List<String> free = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (plan.runs().get(i).stage() == null) {
        free.add(Integer.toString(i));
      }
    }
    if (!free.isEmpty()) {
      lines.add(
          "  V=$(sbatch --parsable --array=" + String.join(",", free) + limit + " \"$0\" variant)");
      lines.add("  echo \"variants without a stage: job array ${V%%;*}\"");
    }
    lines.add("  exit 0");
    lines.add("fi");
    lines.add("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-" + job.cpus() + "}\"");
    lines.add("if [ \"${1:-}\" = stage ]; then");
    for (String line : ClusterJob.stageBody(plan, "SLURM_ARRAY_TASK_ID")) {
      lines.add("  " + line);
    }
    lines.add("  exit 0");
    lines.add("fi");
    lines.addAll(ClusterJob.body(plan, "SLURM_ARRAY_TASK_ID"));
    return String.join("\n", lines) + "\n";
  }
}
