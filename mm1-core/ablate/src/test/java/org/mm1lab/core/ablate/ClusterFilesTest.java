package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;
import org.yaml.snakeyaml.Yaml;

/**
 * The emitted cluster files as the tools that read them would: the Slurm scripts and the Kubernetes
 * pods' scripts linted by shellcheck (where it is installed), every Kubernetes Job validated
 * against the batch/v1 Job schema, the settings that make a job resumable and bounded (signal,
 * requeue, grace period, per-index retries, GPU requests), and SIGTERM passed on to mm1, which
 * checkpoints, after which a Slurm task requeues itself.
 *
 * <p>The schema, {@code job-batch-v1.schema.json}, is the JSON schema of Kubernetes v1.34.0's
 * batch/v1 Job from github.com/ricoberger/kubernetes-json-schema ({@code schemas/job-batch-v1.json}
 * at commit 36d89d6e89b528e5153c0d3527577d4870da3b95), with its descriptions and {@code $schema}
 * removed and, as the "strict" schemas of kubeconform do, {@code additionalProperties: false} on
 * every object that lists its properties, so that a misspelt field is an error.
 */
class ClusterFilesTest {

  @TempDir Path dir;

  private AblationSetup.Prepared prepared(boolean stages) throws IOException {
    RunFiles.write(dir, "base.conf", RunFiles.STAND_IN_RUN);
    Path grid = dir.resolve(stages ? "staged.conf" : "plain.conf");
    Files.writeString(
        grid,
        String.join(
            "\n",
            "ablation {",
            "  name = " + (stages ? "staged" : "plain"),
            "  base = base.conf",
            stages ? "  pretrain { settings { steps = 5, batch-size = 4 } }" : "",
            "  axes { \"mm1.model.encoder.width\" = [16, 24] }",
            "  seeds = [1, 2]",
            "}",
            ""));
    return new AblationSetup(new Assembly(getClass().getClassLoader()))
        .prepare(grid, dir.resolve(stages ? "staged" : "plain"), List.of(), true);
  }

  private static String shellcheck() {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder, "shellcheck");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private record Finished(int status, String output) {}

  private static Finished run(ProcessBuilder builder, String input)
      throws IOException, InterruptedException {
    Process p = builder.redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Finished(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> jobs(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    new Yaml().loadAll(yaml).forEach(d -> docs.add((Map<String, Object>) d));
    return docs;
  }

  /** Every container's and init container's script, by its container's name and Job. */
  @SuppressWarnings("unchecked")
  private static List<String> scripts(Map<String, Object> job) {
    Map<String, Object> pod =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) job.get("spec")).get("template"))
                .get("spec");
    List<String> scripts = new ArrayList<>();
    for (String list : List.of("initContainers", "containers")) {
      for (Map<String, Object> c :
          (List<Map<String, Object>>) pod.getOrDefault(list, List.<Object>of())) {
        assertEquals(List.of("/bin/sh", "-c"), c.get("command"));
        scripts.add(((List<String>) c.get("args")).get(0));
      }
    }
    return scripts;
  }

  @Test
  void slurmAndKubernetesScriptsAreShellcheckClean() throws Exception {
    String shellcheck = shellcheck();
    assumeTrue(
        shellcheck != null,
        "shellcheck is not installed (Debian: apt-get install shellcheck): the emitted scripts"
            + " were not linted");
    for (boolean stages : List.of(false, true)) {
      AblationSetup.Prepared ablation = prepared(stages);
      for (int gpus : List.of(0, 2)) {
        String script =
            SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", gpus, 3));
        Finished lint = run(new ProcessBuilder(shellcheck, "-s", "bash", "-"), script);
        assertEquals(0, lint.status(), lint.output() + "\n" + script);
      }
      String yaml =
          KubernetesJob.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 1, 0), "i", "c");
      for (Map<String, Object> job : jobs(yaml)) {
        for (String script : scripts(job)) {
          Finished lint = run(new ProcessBuilder(shellcheck, "-s", "sh", "-"), script);
          assertEquals(0, lint.status(), lint.output() + "\n" + script);
        }
      }
    }
  }

  @Test
  void everyKubernetesJobIsAValidBatchV1Job() throws Exception {
    JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("job-batch-v1.schema.json")) {
      schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
              .getSchema(new ObjectMapper().readTree(in));
    }
    ObjectMapper json = new ObjectMapper();
    int validated = 0;
    for (boolean stages : List.of(false, true)) {
      String yaml =
          KubernetesJob.render(
              prepared(stages).plan(), new ClusterJob("mm1", 2, "4G", 1, 2), "img:1", "runs");
      List<Map<String, Object>> jobs = jobs(yaml);
      assertEquals(stages ? 2 : 1, jobs.size());
      for (Map<String, Object> job : jobs) {
        JsonNode node = json.valueToTree(job);
        Set<ValidationMessage> errors = schema.validate(node);
        assertTrue(errors.isEmpty(), errors + "\n" + yaml);
        validated++;
        JsonNode spec = node.get("spec");
        assertEquals("Indexed", spec.get("completionMode").asText());
        assertTrue(spec.has("backoffLimitPerIndex"));
        JsonNode rule = spec.get("podFailurePolicy").get("rules").get(0);
        assertEquals("FailIndex", rule.get("action").asText());
        assertEquals(2, rule.get("onExitCodes").get("values").get(0).asInt());
        assertEquals(KubernetesJob.TTL_SECONDS, spec.get("ttlSecondsAfterFinished").asInt());
        JsonNode pod = spec.get("template").get("spec");
        assertEquals(KubernetesJob.GRACE_SECONDS, pod.get("terminationGracePeriodSeconds").asInt());
        JsonNode main = pod.get("containers").get(0);
        assertEquals("/ablation", main.get("workingDir").asText());
        assertEquals("1", main.get("resources").get("limits").get("nvidia.com/gpu").asText());
        assertEquals("4Gi", main.get("resources").get("requests").get("memory").asText());
        assertEquals("2", main.get("resources").get("requests").get("cpu").asText());

        // The validation bites: a misspelt field and an unknown action are refused.
        ObjectNode misspelt = node.deepCopy();
        ((ObjectNode) misspelt.get("spec")).put("backoffLimitPerIndx", 1);
        assertFalse(schema.validate(misspelt).isEmpty(), "a misspelt field is refused");
        ObjectNode badAction = node.deepCopy();
        ((ObjectNode) badAction.get("spec").get("podFailurePolicy").get("rules").get(0))
            .put("action", "FailIndexes");
        assertFalse(schema.validate(badAction).isEmpty(), "an unknown action is refused");
      }
    }
    assertEquals(3, validated);
  }

  @Test
  void slurmTasksAskForTheirResourcesAndToBeSignalledBeforeTheirTimeLimit() throws Exception {
    AblationSetup.Prepared ablation = prepared(false);
    String script = SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 8, "32G", 2, 3));
    for (String line :
        List.of(
            "#SBATCH --array=0-3%3",
            "#SBATCH --cpus-per-task=8",
            "#SBATCH --mem=32G",
            "#SBATCH --gres=gpu:2",
            "#SBATCH --signal=B:TERM@120",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
            "#SBATCH --output=variants/slurm-%A_%a.out")) {
      assertTrue(script.contains("\n" + line + "\n"), line + " in\n" + script);
    }
    assertFalse(
        SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 8, "32G", 0, 0))
            .contains("--gres"),
        "no GPU asked for by default");
  }

  /** A stand-in mm1 that runs until SIGTERM, on which it writes a checkpoint and exits 143. */
  private Path stoppableMm1() throws IOException {
    Path script = dir.resolve("stoppable-mm1.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "# called as: stoppable-mm1.sh run FILE --out DIR",
            "trap 'echo checkpoint > \"$4/checkpointed\"; echo checkpointed; exit 143' TERM",
            "mkdir -p \"$4\"",
            "echo training",
            "echo started > \"$4/started\"",
            "while :; do sleep 0.1; done",
            ""));
    return script;
  }

  private static void awaitFile(Path file, Process p) throws InterruptedException {
    for (int i = 0; i < 300 && !Files.exists(file); i++) {
      assertTrue(p.isAlive(), "the task ended before mm1 started");
      Thread.sleep(100);
    }
    assertTrue(Files.exists(file), file + " appeared");
  }

  @Test
  void aSlurmTaskStoppedBySigtermCheckpointsAndRequeuesItself() throws Exception {
    AblationSetup.Prepared ablation = prepared(false);
    AblationFolder folder = ablation.folder();
    Path script = folder.root().resolve("slurm.sh");
    Files.writeString(
        script, SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 0, 0)));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path scontrol = bin.resolve("scontrol");
    Files.writeString(
        scontrol, "#!/bin/sh\necho \"$*\" >> '" + dir.resolve("scontrol.txt") + "'\n");
    assertTrue(scontrol.toFile().setExecutable(true));
    ProcessBuilder task =
        new ProcessBuilder("bash", script.toString(), "variant")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("task.out").toFile());
    task.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    task.environment().put("SLURM_ARRAY_TASK_ID", "1");
    task.environment().put("SLURM_JOB_ID", "777");
    task.environment().put("MM1", "/bin/sh " + stoppableMm1());
    Process p = task.start();
    Path run = folder.variant(ablation.runs().get(1).name());
    awaitFile(run.resolve("started"), p);
    p.destroy(); // SIGTERM to the batch shell, as --signal=B:TERM sends it
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("task.out"));
    assertEquals(143, p.exitValue(), out);
    assertTrue(Files.exists(run.resolve("checkpointed")), "mm1 got the signal: " + out);
    assertEquals(List.of("requeue 777"), Files.readAllLines(dir.resolve("scontrol.txt")), out);
    assertTrue(out.contains("training\n") && out.contains("checkpointed\n"), "tee'd: " + out);
    String log = Files.readString(run.resolve("log.txt"));
    assertTrue(log.contains("training\n") && log.contains("checkpointed\n"), log);
  }

  @Test
  void aKubernetesPodStoppedBySigtermUnderPosixShCheckpoints() throws Exception {
    AblationSetup.Prepared ablation = prepared(false);
    String yaml =
        KubernetesJob.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 0, 0), "i", "c");
    String script = scripts(jobs(yaml).get(0)).get(0);
    ProcessBuilder pod =
        new ProcessBuilder("/bin/sh", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pod.out").toFile());
    pod.environment().put("MM1_ABLATION_DIR", ablation.folder().root().toString());
    pod.environment().put("JOB_COMPLETION_INDEX", "0");
    pod.environment().put("MM1", "/bin/sh " + stoppableMm1());
    Process p = pod.start();
    Path run = ablation.folder().variant(ablation.runs().get(0).name());
    awaitFile(run.resolve("started"), p);
    p.destroy();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("pod.out"));
    assertEquals(143, p.exitValue(), out);
    assertTrue(Files.exists(run.resolve("checkpointed")), out);
    assertTrue(out.contains("checkpointed\n"), out);
  }

  @Test
  void anIndexBeyondTheVariantsIsAUserError() throws Exception {
    AblationSetup.Prepared ablation = prepared(false);
    Path script = ablation.folder().root().resolve("slurm.sh");
    Files.writeString(
        script, SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 0, 0)));
    ProcessBuilder task = new ProcessBuilder("bash", script.toString(), "variant");
    task.environment().put("SLURM_ARRAY_TASK_ID", "9");
    Finished out = run(task, "");
    assertEquals(2, out.status(), out.output());
    assertTrue(out.output().contains("no variant 9; the indices are 0 to 3"), out.output());
    // Outside a bundle folder, it says where to point it.
    ProcessBuilder lost = new ProcessBuilder("bash", script.toString(), "variant");
    lost.environment().put("SLURM_ARRAY_TASK_ID", "0");
    lost.environment().put("MM1_ABLATION_DIR", dir.toString());
    Finished missing = run(lost, "");
    assertEquals(2, missing.status(), missing.output());
    assertTrue(missing.output().contains("holds no ablation.json"), missing.output());
    // Submitting where there is no Slurm says so.
    ProcessBuilder submit = new ProcessBuilder("bash", script.toString());
    submit.environment().put("PATH", "/usr/bin:/bin");
    Finished noSlurm = run(submit, "");
    assertEquals(2, noSlurm.status(), noSlurm.output());
    assertTrue(noSlurm.output().contains("sbatch not found"), noSlurm.output());
  }
}
