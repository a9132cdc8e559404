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

  /**
   * The variant script's lines after the shell is set up; {@code indexVariable} holds the task
   * index, which picks {@code plan.runs()[index]}. A variant that loads a stage's encoder fails at
   * once, naming the stage, when the stage is not complete; otherwise it runs with the encoder
   * checkpoint under {@code MM1_ABLATION_DIR} (its {@code variant.conf} names the folder where the
   * ablation was prepared, which a cluster may mount elsewhere).
   */
  static List<String> body(AblationPlan plan, String indexVariable) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < plan.runs().size(); i++) {
      all.add(i);
    }
    return body(plan, indexVariable, all);
  }

  /** As {@link #body(AblationPlan, String)}, for the tasks {@code indices} only. */
  static List<String> body(AblationPlan plan, String indexVariable, List<Integer> indices) {
    boolean stages = !plan.stages().isEmpty();
    List<String> lines = new ArrayList<>();
    lines.add("case \"${" + indexVariable + "}\" in");
    for (int i : indices) {
      AblationPlan.Run run = plan.runs().get(i);
      List<String> changes =
          run.overrides().stream().filter(o -> !o.startsWith("mm1.name=")).toList();
      lines.add("  # " + String.join("; ", changes).replace("\n", " "));
      lines.add(
          "  "
              + i
              + ") VARIANT='"
              + run.name()
              + "'"
              + (stages ? "; STAGE='" + (run.stage() == null ? "" : run.stage()) + "'" : "")
              + " ;;");
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
    String extra = "";
    if (stages) {
      String stage = "${MM1_ABLATION_DIR}/" + Ablation.STAGES + "/${STAGE}";
      lines.add("set --");
      lines.add("if [ -n \"${STAGE}\" ]; then");
      lines.add("  if [ ! -f \"" + stage + "/" + Ablation.STAGE_DONE + "\" ]; then");
      lines.add(
          "    echo \"mm1 ablate: ${VARIANT} needs the encoder of stage ${STAGE}, which is not"
              + " complete; see "
              + stage
              + "/"
              + Ablation.LOG
              + "\" >&2");
      lines.add("    exit 1");
      lines.add("  fi");
      lines.add(
          "  set -- --set \""
              + EncoderStages.CHECKPOINT
              + "=\\\""
              + stage
              + "/"
              + Ablation.STAGE_OUTPUT
              + "/"
              + RunLayout.Pretraining.WEIGHTS
              + "\\\"\"");
      lines.add("fi");
      extra = " \"$@\"";
    }
    lines.add(
        "echo \"${VARIANT}: ${MM1} run ${RUN}/"
            + Ablation.VARIANT_CONFIG
            + " --out ${RUN}"
            + extra
            + "\"");
    lines.add("# MM1 is split into words on purpose: it may be a command with arguments.");
    lines.add(
        "exec ${MM1} run \"${RUN}/"
            + Ablation.VARIANT_CONFIG
            + "\" --out \"${RUN}\""
            + extra
            + " >> \"${RUN}/"
            + Ablation.LOG
            + "\" 2>&1");
    return lines;
  }

  /**
   * The stage script's lines after the shell is set up; {@code indexVariable} picks {@code
   * plan.stages()[index]}. A complete stage is left alone; any other starts over: {@code mm1
   * pretrain-encoder stage.conf --out partial/}, then {@code partial/} is renamed to {@code
   * encoder/} and {@code stage.done} written (through a temporary name), so that a run never sees a
   * half-written encoder. A failed stage leaves {@code stage.failed}, which the runs waiting for it
   * read.
   */
  static List<String> stageBody(AblationPlan plan, String indexVariable) {
    List<String> lines = new ArrayList<>();
    lines.add("case \"${" + indexVariable + "}\" in");
    for (int i = 0; i < plan.stages().size(); i++) {
      AblationPlan.Stage stage = plan.stages().get(i);
      lines.add("  # loaded by " + String.join(", ", stage.runs()));
      lines.add("  " + i + ") STAGE='" + stage.name() + "'; HASH='" + stage.hash() + "' ;;");
    }
    lines.add(
        "  *) echo \"mm1 ablate: no stage ${"
            + indexVariable
            + "}; the indices are 0 to "
            + (plan.stages().size() - 1)
            + "\" >&2; exit 2 ;;");
    lines.add("esac");
    lines.add("DIR=\"${MM1_ABLATION_DIR}/" + Ablation.STAGES + "/${STAGE}\"");
    String done = "\"${DIR}/" + Ablation.STAGE_DONE + "\"";
    String weights =
        "\"${DIR}/" + Ablation.STAGE_OUTPUT + "/" + RunLayout.Pretraining.WEIGHTS + "\"";
    lines.add("if [ -f " + done + " ] && [ -f " + weights + " ]; then");
    lines.add("  echo \"stage ${STAGE} is complete\"");
    lines.add("  exit 0");
    lines.add("fi");
    lines.add("# Pretraining has no checkpoints: an unfinished stage starts over.");
    lines.add(
        "rm -rf \"${DIR}/"
            + Ablation.STAGE_PARTIAL
            + "\" \"${DIR}/"
            + Ablation.STAGE_OUTPUT
            + "\" \"${DIR}/"
            + Ablation.STAGE_FAILED
            + "\"");
    lines.add(
        "echo \"stage ${STAGE}: ${MM1} pretrain-encoder ${DIR}/"
            + Ablation.STAGE_CONFIG
            + " --out ${DIR}/"
            + Ablation.STAGE_PARTIAL
            + "\"");
    lines.add(
        "if ! ${MM1} pretrain-encoder \"${DIR}/"
            + Ablation.STAGE_CONFIG
            + "\" --out \"${DIR}/"
            + Ablation.STAGE_PARTIAL
            + "\" >> \"${DIR}/"
            + Ablation.LOG
            + "\" 2>&1; then");
    lines.add(
        "  echo \"see ${DIR}/" + Ablation.LOG + "\" > \"${DIR}/" + Ablation.STAGE_FAILED + "\"");
    lines.add("  echo \"stage ${STAGE} FAILED; see ${DIR}/" + Ablation.LOG + "\" >&2");
    lines.add("  exit 1");
    lines.add("fi");
    lines.add(
        "mv \"${DIR}/" + Ablation.STAGE_PARTIAL + "\" \"${DIR}/" + Ablation.STAGE_OUTPUT + "\"");
    lines.add("printf '%s\\n' \"${HASH}\" > " + done.replace(".done\"", ".done.tmp\""));
    lines.add("mv " + done.replace(".done\"", ".done.tmp\"") + " " + done);
    return lines;
  }

  /** {@code text} in single quotes for a POSIX shell. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\"'\"'") + "'";
  }
}
