package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * A Slurm script that runs an ablation bundle's variants, one per job array task (the task index
 * {@code SLURM_ARRAY_TASK_ID}), each with the same {@code mm1 run} as {@code mm1 ablate} would
 * start, and before them its encoder stages, if any.
 *
 * <p>Run with {@code bash} on a login node, it submits itself: the stages as one job array, then
 * for each stage one array of the variants that load its encoder, with {@code
 * --dependency=afterok:<stages job>_<stage index>} (a dependency on one task of an array), so that
 * a variant starts once its own stage has succeeded, and a failed stage cancels only its variants
 * ({@code --kill-on-invalid-dep=yes}); variants without a stage go in one array of their own. A
 * grid without stages may also be submitted with {@code sbatch slurm.sh} from inside the folder.
 * Inside a job the first argument says which kind of task it is.
 *
 * <p>Every path is relative to the bundle folder: {@code MM1_ABLATION_DIR} when set, else the
 * folder of the script (submitting) or the folder it was submitted from (inside a job); the job
 * works there. A task asks for {@code --signal=B:TERM@120}: two minutes before its time limit the
 * script passes SIGTERM on to mm1, which writes a checkpoint, and requeues the task ({@code
 * --requeue}, {@code scontrol requeue}), whose next attempt resumes.
 */
public final class SlurmScript {

  /** Seconds before the time limit at which a task is told to checkpoint and stop. */
  static final int SIGNAL_SECONDS = 120;

  private SlurmScript() {}

  /** The script for an ablation bundle. */
  public static String render(AblationPlan plan, ClusterJob job) {
    int n = plan.runs().size();
    int k = plan.stages().size();
    String limit = job.parallelism() > 0 ? "%" + job.parallelism() : "";
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add(
        "# Slurm jobs for the ablation "
            + plan.name()
            + ": "
            + (k > 0
                ? k
                    + " encoder pretraining stages (one job array), then "
                    + n
                    + " variants (one array per stage)."
                : n + " variants, one per array task."));
    lines.add("# Written by mm1 ablate --emit slurm. The folder is a bundle: every path in it is");
    lines.add(
        "# relative to it, and it holds copies of the inputs its runs read ("
            + Ablation.INPUTS
            + "/), so");
    lines.add("# copy or mount it anywhere on a file system the compute nodes share, then submit:");
    lines.add("#   bash slurm.sh                (from any folder; it calls sbatch itself)");
    if (k == 0) {
      lines.add("#   or, inside the folder:       sbatch slurm.sh");
    } else {
      lines.add(
          "# Each variant array waits for its stage's array task (--dependency=afterok:JOB_TASK);");
      lines.add(
          "# a stage that fails cancels only the variants that load its encoder"
              + " (--kill-on-invalid-dep=yes).");
    }
    lines.add("# Then merge what the tasks produced:   mm1 ablate report <this folder>");
    lines.add(
        "# Submitting again runs only what is not complete ("
            + (k > 0 ? "stages with " + Ablation.STAGE_DONE + ", " : "")
            + "variants with "
            + RunLayout.EVAL_RESULTS
            + ").");
    lines.add(
        "# Output: a variant task's goes to variants/slurm-JOB_TASK.out"
            + (k > 0 ? " (a stage task's to stages/)" : "")
            + " and to its "
            + Ablation.LOG
            + ".");
    lines.add("# A time limit or a preemption sends SIGTERM: the variant checkpoints and is");
    lines.add("# requeued, and its next attempt resumes from the checkpoint.");
    lines.add("# Set MM1 to the command that starts mm1 on the nodes (now: " + job.mm1() + "),");
    lines.add("# MM1_ABLATION_DIR to this folder as the nodes see it (default: found as above),");
    lines.add("# and adjust the #SBATCH lines (partition, time, account) to your cluster.");
    lines.add("#SBATCH --job-name=mm1-" + plan.name());
    if (k == 0) {
      lines.add("#SBATCH --array=0-" + (n - 1) + limit);
    }
    lines.add("#SBATCH --ntasks=1");
    lines.add("#SBATCH --cpus-per-task=" + job.cpus());
    lines.add("#SBATCH --mem=" + job.memory());
    if (job.gpus() > 0) {
      lines.add("#SBATCH --gres=gpu:" + job.gpus());
    }
    lines.add("#SBATCH --time=24:00:00");
    lines.add("#SBATCH --signal=B:TERM@" + SIGNAL_SECONDS);
    lines.add("#SBATCH --requeue");
    lines.add("#SBATCH --open-mode=append");
    lines.add("#SBATCH --output=" + Ablation.VARIANTS + "/slurm-%A_%a.out");
    lines.add("set -eu");
    lines.add("if [ -z \"${MM1_ABLATION_DIR:-}\" ]; then");
    lines.add(
        "  # The script's folder, unless sbatch runs a copy of it elsewhere: then the folder");
    lines.add("  # it was submitted from.");
    lines.add("  MM1_ABLATION_DIR=\"$(cd \"$(dirname \"$0\")\" && pwd)\"");
    lines.add(
        "  if [ ! -f \"${MM1_ABLATION_DIR}/"
            + Ablation.PLAN
            + "\" ] && [ -n \"${SLURM_SUBMIT_DIR:-}\" ]; then");
    lines.add("    MM1_ABLATION_DIR=\"${SLURM_SUBMIT_DIR}\"");
    lines.add("  fi");
    lines.add("fi");
    lines.add("if [ ! -f \"${MM1_ABLATION_DIR}/" + Ablation.PLAN + "\" ]; then");
    lines.add(
        "  echo \"mm1 ablate: ${MM1_ABLATION_DIR} holds no "
            + Ablation.PLAN
            + ": set MM1_ABLATION_DIR to this bundle's folder as the nodes see it\" >&2");
    lines.add("  exit 2");
    lines.add("fi");
    lines.add("cd \"${MM1_ABLATION_DIR}\"");
    lines.add("MM1_ABLATION_DIR=\"$(pwd)\"");
    lines.add("export MM1_ABLATION_DIR");
    lines.add("if [ -z \"${MM1:-}\" ]; then MM1=" + ClusterJob.quote(job.mm1()) + "; fi");
    lines.add("export MM1");
    lines.add("if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then");
    lines.add("  # Not a task: submit the tasks.");
    lines.add("  if ! command -v sbatch > /dev/null 2>&1; then");
    lines.add(
        "    echo \"mm1 ablate: sbatch not found: run this on a Slurm login node, or set"
            + " SLURM_ARRAY_TASK_ID to run one task here\" >&2");
    lines.add("    exit 2");
    lines.add("  fi");
    lines.add("  SCRIPT=\"${MM1_ABLATION_DIR}/" + Ablation.SLURM + "\"");
    if (k > 0) {
      lines.add(
          "  STAGES=$(sbatch --parsable --chdir=\"${MM1_ABLATION_DIR}\" --array=0-"
              + (k - 1)
              + limit
              + " --job-name=mm1-"
              + plan.name()
              + "-stages --output="
              + Ablation.STAGES
              + "/slurm-%A_%a.out \"${SCRIPT}\" stage)");
      lines.add("  STAGES=\"${STAGES%%;*}\"");
      lines.add("  echo \"stages: job array ${STAGES}\"");
    }
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
          "  V=$(sbatch --parsable --chdir=\"${MM1_ABLATION_DIR}\" --array="
              + String.join(",", indices)
              + limit
              + " --dependency=\"afterok:${STAGES}_"
              + s
              + "\" --kill-on-invalid-dep=yes \"${SCRIPT}\" variant)");
      lines.add("  echo \"variants of stage " + stage + ": job array ${V%%;*}\"");
    }
    List<String> free = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (plan.runs().get(i).stage() == null) {
        free.add(Integer.toString(i));
      }
    }
    if (!free.isEmpty()) {
      String array = k == 0 ? "0-" + (n - 1) : String.join(",", free);
      lines.add(
          "  V=$(sbatch --parsable --chdir=\"${MM1_ABLATION_DIR}\" --array="
              + array
              + limit
              + " \"${SCRIPT}\" variant)");
      lines.add("  echo \"variants" + (k > 0 ? " without a stage" : "") + ": job array ${V%%;*}\"");
    }
    lines.add("  exit 0");
    lines.add("fi");
    lines.add("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-" + job.cpus() + "}\"");
    lines.addAll(ClusterJob.loggedFunction());
    List<String> requeue =
        List.of(
            "if [ \"${STOPPED}\" -eq 1 ] && [ -n \"${SLURM_JOB_ID:-}\" ]; then",
            "  echo \"stopped by a signal: requeued; the next attempt resumes where this one"
                + " stopped\"",
            "  scontrol requeue \"${SLURM_JOB_ID}\" || true",
            "fi",
            "exit \"${STATUS}\"");
    if (k > 0) {
      lines.add("if [ \"${1:-}\" = stage ]; then");
      for (String line : ClusterJob.stageBody(plan, "SLURM_ARRAY_TASK_ID")) {
        lines.add("  " + line);
      }
      for (String line : requeue) {
        lines.add("  " + line);
      }
      lines.add("fi");
    }
    lines.addAll(ClusterJob.body(plan, "SLURM_ARRAY_TASK_ID"));
    lines.addAll(requeue);
    return String.join("\n", lines) + "\n";
  }
}
