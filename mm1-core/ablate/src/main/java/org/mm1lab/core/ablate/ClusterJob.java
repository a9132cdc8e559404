package org.mm1lab.core.ablate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mm1lab.core.UserException;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * What a scheduler's job runs for one variant or encoder stage, as POSIX shell lines shared by the
 * Slurm and the Kubernetes emitters, and the resources each job asks for.
 *
 * <p>The lines run in the bundle folder ({@code MM1_ABLATION_DIR}, which the emitters make the
 * working directory), and every path in them and in the run files they start is relative to it: the
 * bundle runs wherever its folder is mounted. The task index picks the variant from a table of
 * every variant (each with its overrides in a comment); a complete variant is left alone, and any
 * other runs {@code mm1 run variants/NAME/variant.conf --out variants/NAME}, which resumes it from
 * its checkpoints. mm1's output goes both to standard output (the scheduler's log: the Slurm {@code
 * .out} file, {@code kubectl logs}) and to the variant's {@code log.txt}. SIGTERM (a time limit, a
 * preemption, a deleted pod) is passed on to mm1, which writes a checkpoint before it exits; the
 * scheduler's next attempt resumes from it. {@code MM1} holds the command that starts mm1.
 *
 * @param mm1 the command that starts mm1 where the job runs, e.g. {@code mm1} or {@code
 *     /opt/mm1/mm1}
 * @param cpus CPU cores per variant (at least 1)
 * @param memory memory per variant, a number with K, M, G or T, e.g. {@code 16G}
 * @param gpus GPUs per variant (0: none requested)
 * @param parallelism variants at a time (0: as many as the scheduler allows)
 */
public record ClusterJob(String mm1, int cpus, String memory, int gpus, int parallelism) {

  /** Checks the fields; a wrong value is the user's, named by its command-line option. */
  public ClusterJob {
    Objects.requireNonNull(mm1, "mm1");
    Objects.requireNonNull(memory, "memory");
    if (mm1.isBlank()) {
      throw new UserException("--mm1 is empty: give the command that starts mm1 on the nodes");
    }
    if (cpus < 1) {
      throw new UserException("--cpus " + cpus + ": give at least 1");
    }
    if (!memory.matches("[1-9][0-9]*[KMGT]")) {
      throw new UserException(
          "--memory " + memory + ": give a whole number with K, M, G or T, e.g. 16G or 512M");
    }
    if (gpus < 0) {
      throw new UserException("--gpus " + gpus + ": give 0 (none) or more");
    }
    if (parallelism < 0) {
      throw new UserException("--parallelism " + parallelism + ": give 0 (no limit) or more");
    }
  }

  /**
   * The shell function {@code mm1_logged LOG ARGS...}: runs {@code ${MM1} ARGS...} with its output
   * on standard output and appended to {@code LOG}, passes SIGTERM and SIGINT on to it, and returns
   * its exit status; {@code STOPPED} is 1 after such a signal. A named pipe (in a temporary folder
   * on the node) feeds {@code tee}, so that the status is mm1's and the signal reaches mm1 itself.
   */
  static List<String> loggedFunction() {
    return List.of(
        "STOPPED=0",
        "mm1_logged() {",
        "  log=\"$1\"",
        "  shift",
        "  echo \"# mm1 ablate: ${MM1} $*\" >> \"${log}\"",
        "  pipe_dir=$(mktemp -d)",
        "  mkfifo \"${pipe_dir}/out\"",
        "  tee -a \"${log}\" < \"${pipe_dir}/out\" &",
        "  tee_pid=$!",
        "  # MM1 is split into words on purpose: it may be a command with arguments.",
        "  # shellcheck disable=SC2086",
        "  ${MM1} \"$@\" > \"${pipe_dir}/out\" 2>&1 &",
        "  mm1_pid=$!",
        "  trap 'STOPPED=1; kill -TERM \"${mm1_pid}\" 2> /dev/null || true' TERM INT",
        "  status=0",
        "  wait \"${mm1_pid}\" || status=$?",
        "  # A trapped signal ends wait early: wait again while mm1 writes its checkpoint.",
        "  while kill -0 \"${mm1_pid}\" 2> /dev/null; do",
        "    status=0",
        "    wait \"${mm1_pid}\" || status=$?",
        "  done",
        "  trap - TERM INT",
        "  wait \"${tee_pid}\" || true",
        "  rm -rf \"${pipe_dir}\"",
        "  return \"${status}\"",
        "}");
  }

  /**
   * The variant lines after the shell is set up and in the bundle folder; {@code indexVariable}
   * holds the task index, which picks {@code plan.runs()[index]}. They end with the variant's exit
   * status in {@code STATUS} (0 for a variant complete before), for the emitter to act on. A
   * variant that loads a stage's encoder fails at once, naming the stage, when the stage is not
   * complete.
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
              + ") VARIANT="
              + quote(run.name())
              + (stages ? "; STAGE=" + quote(run.stage() == null ? "" : run.stage()) : "")
              + " ;;");
    }
    lines.add(
        "  *) echo \"mm1 ablate: no variant ${"
            + indexVariable
            + "}; the indices are 0 to "
            + (plan.runs().size() - 1)
            + "\" >&2; exit 2 ;;");
    lines.add("esac");
    lines.add("RUN=\"" + Ablation.VARIANTS + "/${VARIANT}\"");
    lines.add("STATUS=0");
    lines.add("if [ -f \"${RUN}/" + RunLayout.EVAL_RESULTS + "\" ]; then");
    lines.add("  echo \"${VARIANT} is complete\"");
    if (stages) {
      String stage = Ablation.STAGES + "/${STAGE}";
      lines.add(
          "elif [ -n \"${STAGE}\" ] && [ ! -f \""
              + stage
              + "/"
              + Ablation.STAGE_DONE
              + "\" ]; then");
      lines.add(
          "  echo \"mm1 ablate: ${VARIANT} needs the encoder of stage ${STAGE}, which is not"
              + " complete; see "
              + stage
              + "/"
              + Ablation.LOG
              + "\" >&2");
      lines.add("  STATUS=1");
    }
    lines.add("else");
    lines.add(
        "  echo \"${VARIANT}: ${MM1} run ${RUN}/"
            + Ablation.VARIANT_CONFIG
            + " --out ${RUN} (in ${MM1_ABLATION_DIR})\"");
    lines.add(
        "  mm1_logged \"${RUN}/"
            + Ablation.LOG
            + "\" run \"${RUN}/"
            + Ablation.VARIANT_CONFIG
            + "\" --out \"${RUN}\" || STATUS=$?");
    lines.add("fi");
    return lines;
  }

  /**
   * The stage lines after the shell is set up and in the bundle folder; {@code indexVariable} picks
   * {@code plan.stages()[index]}. A complete stage is left alone; any other starts over: {@code mm1
   * pretrain-encoder stage.conf --out partial/}, then {@code partial/} is renamed to {@code
   * encoder/} and {@code stage.done} written (through a temporary name), so that a run never sees a
   * half-written encoder. A failed stage leaves {@code stage.failed}, which the runs waiting for it
   * read; a stage stopped by a signal leaves nothing and starts over on its next attempt. They end
   * with the stage's exit status in {@code STATUS}.
   */
  static List<String> stageBody(AblationPlan plan, String indexVariable) {
    List<String> lines = new ArrayList<>();
    lines.add("case \"${" + indexVariable + "}\" in");
    for (int i = 0; i < plan.stages().size(); i++) {
      AblationPlan.Stage stage = plan.stages().get(i);
      lines.add("  # loaded by " + String.join(", ", stage.runs()));
      lines.add(
          "  " + i + ") STAGE=" + quote(stage.name()) + "; HASH=" + quote(stage.hash()) + " ;;");
    }
    lines.add(
        "  *) echo \"mm1 ablate: no stage ${"
            + indexVariable
            + "}; the indices are 0 to "
            + (plan.stages().size() - 1)
            + "\" >&2; exit 2 ;;");
    lines.add("esac");
    lines.add("DIR=\"" + Ablation.STAGES + "/${STAGE}\"");
    String done = "\"${DIR}/" + Ablation.STAGE_DONE + "\"";
    String doneTmp = "\"${DIR}/" + Ablation.STAGE_DONE + ".tmp\"";
    String partial = "\"${DIR}/" + Ablation.STAGE_PARTIAL + "\"";
    String output = "\"${DIR}/" + Ablation.STAGE_OUTPUT + "\"";
    String failed = "\"${DIR}/" + Ablation.STAGE_FAILED + "\"";
    String log = "${DIR}/" + Ablation.LOG;
    String weights =
        "\"${DIR}/" + Ablation.STAGE_OUTPUT + "/" + RunLayout.Pretraining.WEIGHTS + "\"";
    lines.add("STATUS=0");
    lines.add("if [ -f " + done + " ] && [ -f " + weights + " ]; then");
    lines.add("  echo \"stage ${STAGE} is complete\"");
    lines.add("else");
    lines.add("  # Pretraining has no checkpoints: an unfinished stage starts over.");
    lines.add("  rm -rf " + partial + " " + output + " " + failed);
    lines.add(
        "  echo \"stage ${STAGE}: ${MM1} pretrain-encoder ${DIR}/"
            + Ablation.STAGE_CONFIG
            + " --out ${DIR}/"
            + Ablation.STAGE_PARTIAL
            + " (in ${MM1_ABLATION_DIR})\"");
    lines.add(
        "  mm1_logged \""
            + log
            + "\" pretrain-encoder \"${DIR}/"
            + Ablation.STAGE_CONFIG
            + "\" --out "
            + partial
            + " || STATUS=$?");
    lines.add(
        "  if [ \"${STATUS}\" -eq 0 ] && [ ! -f \"${DIR}/"
            + Ablation.STAGE_PARTIAL
            + "/"
            + RunLayout.Pretraining.WEIGHTS
            + "\" ]; then");
    lines.add("    STATUS=1");
    lines.add("  fi");
    lines.add("  if [ \"${STATUS}\" -eq 0 ]; then");
    lines.add("    mv " + partial + " " + output);
    lines.add("    printf '%s\\n' \"${HASH}\" > " + doneTmp);
    lines.add("    mv " + doneTmp + " " + done);
    lines.add("  elif [ \"${STOPPED}\" -eq 0 ]; then");
    lines.add("    echo \"see " + log + "\" > " + failed);
    lines.add("    echo \"stage ${STAGE} FAILED; see " + log + "\" >&2");
    lines.add("  fi");
    lines.add("fi");
    return lines;
  }

  /** {@code text} in single quotes for a POSIX shell. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\"'\"'") + "'";
  }
}
