package org.mm1lab.core.ablate;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * A Kubernetes Indexed Job manifest that runs an ablation's variants, one per completion index
 * ({@code completionMode: Indexed}, {@code completions} = the number of variants, the index in
 * {@code JOB_COMPLETION_INDEX}), each with the same {@code mm1 run} as {@code mm1 ablate} would
 * start. The user supplies an image that holds mm1 ({@code --image}) and a persistent volume claim
 * holding a copy of the ablation folder ({@code --volume-claim}), mounted at {@code /ablation};
 * {@code mm1 ablate report} on that folder merges the results.
 */
public final class KubernetesJob {

  /** Where the ablation folder is mounted in the container. */
  public static final String MOUNT = "/ablation";

  private static final Gson GSON = new Gson();

  private KubernetesJob() {}

  /** The manifest. */
  public static String render(AblationPlan plan, ClusterJob job, String image, String claim) {
    if (!plan.stages().isEmpty()) {
      return withStages(plan, job, image, claim);
    }
    int n = plan.runs().size();
    int parallelism = job.parallelism() > 0 ? Math.min(job.parallelism(), n) : n;
    List<String> y = new ArrayList<>();
    y.add(
        "# Kubernetes Indexed Job for the ablation "
            + plan.name()
            + ": "
            + n
            + " variants, one per completion index.");
    y.add(
        "# Written by mm1 ablate --emit kubernetes. Before applying it, set (or pass to mm1"
            + " ablate):");
    y.add("#   image:     an image with mm1 on its PATH (--image; now " + image + ")");
    y.add(
        "#   claimName: a volume claim holding a copy of the ablation folder (--volume-claim; now "
            + claim
            + "),");
    y.add("#              mounted at " + MOUNT + "; the runs write into it");
    y.add("#   resources, parallelism (--parallelism; now " + parallelism + ")");
    y.add(
        "# Then: kubectl apply -f "
            + Ablation.KUBERNETES
            + ", and when done copy the folder back and run");
    y.add("#   mm1 ablate report <folder>");
    y.add(
        "# Applying it again (after deleting the old Job) runs only the variants without results.");
    y.add("apiVersion: batch/v1");
    y.add("kind: Job");
    y.add("metadata:");
    y.add("  name: " + jobName(plan.name()));
    y.add("  labels:");
    y.add("    app.kubernetes.io/name: mm1-ablate");
    y.add("    mm1lab.org/ablation: " + GSON.toJson(plan.name()));
    y.add("spec:");
    y.add("  completionMode: Indexed");
    y.add("  completions: " + n);
    y.add("  parallelism: " + parallelism);
    y.add("  backoffLimit: " + n);
    y.add("  template:");
    y.add("    metadata:");
    y.add("      labels:");
    y.add("        app.kubernetes.io/name: mm1-ablate");
    y.add("    spec:");
    y.add("      restartPolicy: Never");
    y.add("      containers:");
    y.add("        - name: mm1");
    y.add("          image: " + GSON.toJson(image));
    y.add("          env:");
    y.add("            - name: MM1_ABLATION_DIR");
    y.add("              value: " + GSON.toJson(MOUNT));
    y.add("            - name: MM1");
    y.add("              value: " + GSON.toJson(job.mm1()));
    y.add("            - name: OMP_NUM_THREADS");
    y.add("              value: " + GSON.toJson(Integer.toString(job.cpus())));
    y.add("          command: [\"/bin/sh\", \"-c\"]");
    y.add("          args:");
    y.add("            - |");
    y.add("              set -eu");
    for (String line : ClusterJob.body(plan, "JOB_COMPLETION_INDEX")) {
      y.add("              " + line);
    }
    y.add("          resources:");
    y.add("            requests:");
    y.add("              cpu: " + GSON.toJson(Integer.toString(job.cpus())));
    y.add("              memory: " + GSON.toJson(kubernetesMemory(job.memory())));
    y.add("          volumeMounts:");
    y.add("            - name: ablation");
    y.add("              mountPath: " + MOUNT);
    y.add("      volumes:");
    y.add("        - name: ablation");
    y.add("          persistentVolumeClaim:");
    y.add("            claimName: " + GSON.toJson(claim));
    return String.join("\n", y) + "\n";
  }

  /**
   * With encoder stages: two Indexed Jobs in one file. The first pretrains the stages, one per
   * index. The second runs the variants; each pod's init container waits until its stage's {@code
   * stage.done} appears on the shared volume (and fails at once on {@code stage.failed}), so that
   * its variant starts only once its own stage has succeeded, while variants of other stages go on.
   * Both count failures per index ({@code backoffLimitPerIndex}, Kubernetes 1.29 or later), so a
   * failed stage fails only its own variants.
   */
  private static String withStages(AblationPlan plan, ClusterJob job, String image, String claim) {
    int n = plan.runs().size();
    int k = plan.stages().size();
    List<String> y = new ArrayList<>();
    y.add(
        "# Kubernetes Indexed Jobs for the ablation "
            + plan.name()
            + ": "
            + k
            + " encoder pretraining stages, then "
            + n
            + " variants.");
    y.add(
        "# Written by mm1 ablate --emit kubernetes. Before applying it, set (or pass to mm1"
            + " ablate):");
    y.add("#   image:     an image with mm1 on its PATH (--image; now " + image + ")");
    y.add(
        "#   claimName: a volume claim holding a copy of the ablation folder (--volume-claim; now "
            + claim
            + "),");
    y.add(
        "#              mounted at " + MOUNT + " by both Jobs; the stages and runs write into it");
    y.add(
        "# Then: kubectl apply -f " + Ablation.KUBERNETES + " (both Jobs at once: each variant's");
    y.add(
        "# init container waits for its stage's " + Ablation.STAGE_DONE + "), and when done copy");
    y.add("# the folder back and run mm1 ablate report <folder>.");
    y.add("# Needs Kubernetes 1.29 or later (backoffLimitPerIndex).");
    String stagesName = jobName(plan.name() + "-stages");
    header(y, stagesName, plan.name(), k, job, 0);
    container(y, "mm1", image, job);
    script(y, ClusterJob.stageBody(plan, "JOB_COMPLETION_INDEX"));
    resources(y, job, claim);
    y.add("---");
    header(y, jobName(plan.name()), plan.name(), n, job, 1);
    y.add("      initContainers:");
    container(y, "wait-for-stage", image, job);
    List<String> wait = new ArrayList<>();
    wait.add("case \"${JOB_COMPLETION_INDEX}\" in");
    for (int i = 0; i < n; i++) {
      AblationPlan.Run run = plan.runs().get(i);
      wait.add("  " + i + ") STAGE='" + (run.stage() == null ? "" : run.stage()) + "' ;;");
    }
    wait.add("  *) STAGE='' ;;");
    wait.add("esac");
    wait.add("[ -n \"${STAGE}\" ] || exit 0");
    wait.add("DIR=\"${MM1_ABLATION_DIR}/" + Ablation.STAGES + "/${STAGE}\"");
    wait.add("until [ -f \"${DIR}/" + Ablation.STAGE_DONE + "\" ]; do");
    wait.add("  if [ -f \"${DIR}/" + Ablation.STAGE_FAILED + "\" ]; then");
    wait.add(
        "    echo \"stage ${STAGE} FAILED; see ${DIR}/"
            + Ablation.LOG
            + "; this variant does not run\" >&2");
    wait.add("    exit 1");
    wait.add("  fi");
    wait.add("  echo \"waiting for stage ${STAGE}\"");
    wait.add("  sleep 30");
    wait.add("done");
    script(y, wait);
    y.add("          volumeMounts:");
    y.add("            - name: ablation");
    y.add("              mountPath: " + MOUNT);
    y.add("      containers:");
    container(y, "mm1", image, job);
    script(y, ClusterJob.body(plan, "JOB_COMPLETION_INDEX"));
    resources(y, job, claim);
    return String.join("\n", y) + "\n";
  }

  /** A Job's lines up to its pod's {@code spec}; the stages' Job starts its containers list. */
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
    // A stage is deterministic: retrying a failed one would fail again. A variant gets one retry.
    y.add("  backoffLimitPerIndex: " + retries);
    y.add("  template:");
    y.add("    metadata:");
    y.add("      labels:");
    y.add("        app.kubernetes.io/name: mm1-ablate");
    y.add("    spec:");
    y.add("      restartPolicy: Never");
    if (retries == 0) {
      y.add("      containers:");
    }
  }

  private static void container(List<String> y, String name, String image, ClusterJob job) {
    y.add("        - name: " + name);
    y.add("          image: " + GSON.toJson(image));
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
    for (String line : body) {
      y.add("              " + line);
    }
  }

  private static void resources(List<String> y, ClusterJob job, String claim) {
    y.add("          resources:");
    y.add("            requests:");
    y.add("              cpu: " + GSON.toJson(Integer.toString(job.cpus())));
    y.add("              memory: " + GSON.toJson(kubernetesMemory(job.memory())));
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
