package org.mm1lab.core.ablate;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * A Kubernetes manifest that runs an ablation bundle's variants as an Indexed Job, one per
 * completion index ({@code completionMode: Indexed}, the index in {@code JOB_COMPLETION_INDEX}),
 * each with the same {@code mm1 run} as {@code mm1 ablate} would start; with encoder stages, a
 * second Indexed Job before it pretrains them, and each variant's init container waits for its
 * stage's {@code stage.done} on the shared volume (and fails its index at once on {@code
 * stage.failed}), so that a variant starts only once its own stage has succeeded while variants of
 * other stages go on.
 *
 * <p>The user supplies an image that holds mm1 ({@code --image}) and a persistent volume claim
 * holding the bundle folder at its root ({@code --volume-claim}), mounted at {@code /ablation},
 * which the pods work in: every path in the bundle is relative to it. The claim must be
 * ReadWriteMany, since pods on several nodes write into it at once. Failures are counted per index
 * ({@code backoffLimitPerIndex}, Kubernetes 1.29 or later); exit status 2 (a user error, which a
 * retry repeats) fails its index at once ({@code podFailurePolicy} {@code FailIndex}), and a pod
 * disrupted by an eviction or a preemption is retried without being counted ({@code Ignore} on
 * {@code DisruptionTarget}). A stopped pod gets {@code terminationGracePeriodSeconds} to pass
 * SIGTERM on to mm1, which writes a checkpoint that the retry resumes from. Finished Jobs are
 * deleted after {@code ttlSecondsAfterFinished}; the results stay on the volume, where {@code mm1
 * ablate report} merges them.
 */
public final class KubernetesJob {

  /** Where the ablation folder is mounted in the container. */
  public static final String MOUNT = "/ablation";

  /** Seconds a stopped pod has to checkpoint before it is killed (the runner gives 150). */
  static final int GRACE_SECONDS = 180;

  /** Seconds a finished Job (not its results) is kept for {@code kubectl} to show: a week. */
  static final int TTL_SECONDS = 7 * 24 * 3600;

  /** The exit status of a user error: retrying would fail the same way. */
  static final int USER_ERROR = 2;

  private static final Gson GSON = new Gson();

  private KubernetesJob() {}

  /** The manifest. */
  public static String render(AblationPlan plan, ClusterJob job, String image, String claim) {
    int n = plan.runs().size();
    int k = plan.stages().size();
    List<String> y = new ArrayList<>();
    y.add(
        "# Kubernetes "
            + (k > 0
                ? "Indexed Jobs for the ablation "
                    + plan.name()
                    + ": "
                    + k
                    + " encoder pretraining stages, then "
                    + n
                    + " variants."
                : "Indexed Job for the ablation "
                    + plan.name()
                    + ": "
                    + n
                    + " variants, one per completion index."));
    y.add("# Written by mm1 ablate --emit kubernetes. The folder is a bundle: every path in it is");
    y.add(
        "# relative to it, and it holds copies of the inputs its runs read ("
            + Ablation.INPUTS
            + "/).");
    y.add("# Before applying it, set (or pass to mm1 ablate):");
    y.add("#   image:     an image with mm1 on its PATH and bash (--image; now " + image + ")");
    y.add("#   claimName: a ReadWriteMany persistent volume claim holding this folder at its root");
    y.add(
        "#              (--volume-claim; now "
            + claim
            + "), mounted at "
            + MOUNT
            + "; pods on several nodes");
    y.add("#              write into it at once, so ReadWriteOnce is not enough");
    y.add(
        "#   resources (--cpus, --memory, --gpus) and parallelism (--parallelism; now "
            + (job.parallelism() > 0 ? job.parallelism() : "no limit")
            + ")");
    y.add(
        "# Then: kubectl apply -f "
            + Ablation.KUBERNETES
            + (k > 0 ? " (both Jobs at once)" : "")
            + "; kubectl logs shows each index's output, which");
    y.add("# also goes to the variant's " + Ablation.LOG + ". When done, run");
    y.add("#   mm1 ablate report <this folder>   (on a copy of the volume's folder, or in a pod)");
    y.add("# Exit status 2 (a user error) fails its index at once; other failures are retried");
    y.add("# per index, and a retried variant resumes from its checkpoint (SIGTERM writes one).");
    y.add("# Applying it again (after deleting the old Jobs) runs only what is not complete.");
    y.add("# Needs Kubernetes 1.29 or later (backoffLimitPerIndex, podFailurePolicy FailIndex).");
    if (k > 0) {
      header(y, jobName(plan.name() + "-stages"), plan.name(), k, job, 0);
      y.add("      containers:");
      container(y, "mm1", image, job);
      script(y, withEnding(ClusterJob.stageBody(plan, "JOB_COMPLETION_INDEX")));
      resources(y, job, claim);
      y.add("---");
    }
    // A stage is deterministic: retrying a failed one would fail again. A variant gets one retry.
    header(y, jobName(plan.name()), plan.name(), n, job, 1);
    if (k > 0) {
      y.add("      initContainers:");
      container(y, "wait-for-stage", image, job);
      script(y, waitForStage(plan));
      y.add("          volumeMounts:");
      y.add("            - name: ablation");
      y.add("              mountPath: " + MOUNT);
    }
    y.add("      containers:");
    container(y, "mm1", image, job);
    script(y, withEnding(ClusterJob.body(plan, "JOB_COMPLETION_INDEX")));
    resources(y, job, claim);
    return String.join("\n", y) + "\n";
  }

  /** The init container's lines: wait until the index's stage is done, or fail on its failure. */
  private static List<String> waitForStage(AblationPlan plan) {
    List<String> wait = new ArrayList<>();
    wait.add("case \"${JOB_COMPLETION_INDEX}\" in");
    for (int i = 0; i < plan.runs().size(); i++) {
      AblationPlan.Run run = plan.runs().get(i);
      wait.add(
          "  " + i + ") STAGE=" + ClusterJob.quote(run.stage() == null ? "" : run.stage()) + " ;;");
    }
    wait.add("  *) STAGE='' ;;");
    wait.add("esac");
    wait.add("[ -n \"${STAGE}\" ] || exit 0");
    wait.add("DIR=\"" + Ablation.STAGES + "/${STAGE}\"");
    wait.add("until [ -f \"${DIR}/" + Ablation.STAGE_DONE + "\" ]; do");
    wait.add("  if [ -f \"${DIR}/" + Ablation.STAGE_FAILED + "\" ]; then");
    wait.add(
        "    echo \"stage ${STAGE} FAILED; see ${DIR}/"
            + Ablation.LOG
            + "; this variant does not run\" >&2");
    wait.add("    exit " + USER_ERROR);
    wait.add("  fi");
    wait.add("  echo \"waiting for stage ${STAGE}\"");
    wait.add("  sleep 30");
    wait.add("done");
    return wait;
  }

  /** The shell function mm1 runs through, the body, and the body's exit status. */
  private static List<String> withEnding(List<String> body) {
    List<String> lines = new ArrayList<>(ClusterJob.loggedFunction());
    lines.addAll(body);
    lines.add("if [ \"${STOPPED}\" -eq 1 ]; then");
    lines.add("  echo \"stopped by a signal; a retry of this index resumes where it stopped\"");
    lines.add("fi");
    lines.add("exit \"${STATUS}\"");
    return lines;
  }

  /** A Job's lines up to its pod's {@code spec} and the pod settings before its containers. */
  private static void header(
      List<String> y, String name, String ablation, int n, ClusterJob job, int retries) {
    int parallelism = job.parallelism() > 0 ? Math.min(job.parallelism(), n) : n;
    y.add("apiVersion: batch/v1");
    y.add("kind: Job");
    y.add("metadata:");
    y.add("  name: " + name);
    y.add("  labels:");
    y.add("    app.kubernetes.io/name: mm1-ablate");
    y.add("    mm1lab.org/ablation: " + GSON.toJson(ablation));
    y.add("spec:");
    y.add("  completionMode: Indexed");
    y.add("  completions: " + n);
    y.add("  parallelism: " + parallelism);
    y.add("  backoffLimitPerIndex: " + retries);
    y.add("  podFailurePolicy:");
    y.add("    rules:");
    y.add("      - action: FailIndex");
    y.add("        onExitCodes:");
    y.add("          operator: In");
    y.add("          values: [" + USER_ERROR + "]");
    y.add("      - action: Ignore");
    y.add("        onPodConditions:");
    y.add("          - type: DisruptionTarget");
    y.add("            status: \"True\"");
    y.add("  ttlSecondsAfterFinished: " + TTL_SECONDS);
    y.add("  template:");
    y.add("    metadata:");
    y.add("      labels:");
    y.add("        app.kubernetes.io/name: mm1-ablate");
    y.add("    spec:");
    y.add("      restartPolicy: Never");
    y.add("      terminationGracePeriodSeconds: " + GRACE_SECONDS);
  }

  private static void container(List<String> y, String name, String image, ClusterJob job) {
    y.add("        - name: " + name);
    y.add("          image: " + GSON.toJson(image));
    y.add("          workingDir: " + MOUNT);
    y.add("          env:");
    y.add("            - name: MM1_ABLATION_DIR");
    y.add("              value: " + GSON.toJson(MOUNT));
    y.add("            - name: MM1");
    y.add("              value: " + GSON.toJson(job.mm1()));
    y.add("            - name: OMP_NUM_THREADS");
    y.add("              value: " + GSON.toJson(Integer.toString(job.cpus())));
  }

  private static void script(List<String> y, List<String> body) {
    y.add("          command: [\"/bin/sh\", \"-c\"]");
    y.add("          args:");
    y.add("            - |");
    y.add("              set -eu");
    y.add("              cd \"${MM1_ABLATION_DIR}\"");
    for (String line : body) {
      y.add(line.isEmpty() ? "" : "              " + line);
    }
  }

  private static void resources(List<String> y, ClusterJob job, String claim) {
    String memory = GSON.toJson(kubernetesMemory(job.memory()));
    y.add("          resources:");
    y.add("            requests:");
    y.add("              cpu: " + GSON.toJson(Integer.toString(job.cpus())));
    y.add("              memory: " + memory);
    y.add("            limits:");
    y.add("              memory: " + memory);
    if (job.gpus() > 0) {
      y.add("              nvidia.com/gpu: " + GSON.toJson(Integer.toString(job.gpus())));
    }
    y.add("          volumeMounts:");
    y.add("            - name: ablation");
    y.add("              mountPath: " + MOUNT);
    y.add("      volumes:");
    y.add("        - name: ablation");
    y.add("          persistentVolumeClaim:");
    y.add("            claimName: " + GSON.toJson(claim));
  }

  /** A DNS-1123 name: lower case letters, digits and hyphens, at most 63 characters. */
  static String jobName(String ablation) {
    String name =
        ("mm1-ablate-" + ablation.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9-]+", "-");
    name = name.length() > 52 ? name.substring(0, 52) : name;
    return name.replaceAll("-+$", "");
  }

  /** Slurm's {@code 16G} as Kubernetes' {@code 16Gi}. */
  static String kubernetesMemory(String memory) {
    return memory.matches("[0-9]+[KMGT]") ? memory + "i" : memory;
  }
}
