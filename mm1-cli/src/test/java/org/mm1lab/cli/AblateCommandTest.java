package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.cli.Mm1Cli.Result;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code mm1 ablate} on the built-in plugins: problems are refused before anything runs, and the
 * emitted Slurm and Kubernetes files are valid and name every variant.
 */
class AblateCommandTest {

  /** A tiny run over the built-ins (as in InterruptTest), trained for a few steps. */
  static final String TINY_BASE =
      String.join(
          "\n",
          "mm1 {",
          "  name = tiny",
          "  model {",
          "    encoder { type = clip-vit, image-size = 32, patch-size = 8, width = 32, layers = 1,"
              + " heads = 2 }",
          "    connector { type = avg-pool, tokens = 4 }",
          "    decoder { type = dense, width = 32, layers = 1, heads = 2, kv-heads = 2, ffn = 64 }",
          "  }",
          "  data.mix { type = weighted, sources { captioned = 1, text = 1 } }",
          "  train { steps = 4, batch-size = 2, seq-len = 48, warmup = 2, log-every = 1,"
              + " checkpoint-every = 2 }",
          "  eval { tasks = [caption, vqa], shots = [0], items = 2, examples = 1 }",
          "}",
          "");

  @TempDir Path dir;

  private Path grid(String body) throws IOException {
    Files.writeString(dir.resolve("tiny.conf"), TINY_BASE);
    Path grid = dir.resolve("grid.conf");
    Files.writeString(grid, body);
    return grid;
  }

  @Test
  void anUnknownPathAndAMisfittingVariantAreRefusedBeforeAnythingRuns() throws IOException {
    Path grid =
        grid(
            String.join(
                "\n",
                "ablation {",
                "  base = tiny.conf",
                "  axes { \"mm1.model.connector.tokens\" = [4, 5] }",
                "  variants { typo { \"mm1.model.connector.tokns\" = 4 } }",
                "  seeds = [1, 2]",
                "}"));
    Path out = dir.resolve("out");
    Result r = mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(Main.USER_ERROR, r.status(), r.err());
    List<String> lines = r.err().lines().toList();
    assertEquals(2, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("mm1: error: variant tokens-5: "), r.err());
    assertTrue(lines.get(0).contains("5"), r.err());
    assertEquals(
        "mm1: error: variant typo: mm1.model.connector.tokns ("
            + grid
            + ":4): connector 'avg-pool' has no option 'tokns'; did you mean tokens?; options:"
            + " tokens",
        lines.get(1));
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aGridOverAFolderPluginValidatesAndItsVariantsRunWithIt() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    org.mm1lab.core.plugin.PluginJar.connector("extra.jar", "extra", "extra-connector", 16)
        .writeTo(plugins);
    Path grid =
        grid(
            String.join(
                "\n",
                "ablation {",
                "  base = tiny.conf",
                "  variants {",
                "    extra { \"mm1.model.connector.type\" = extra-connector,"
                    + " \"mm1.model.connector.tokens\" = 16 }",
                "  }",
                "}"));
    Path out = dir.resolve("out");
    Result without = mm1("ablate", grid.toString(), "--out", out.toString());
    assertEquals(Main.USER_ERROR, without.status(), without.err());
    assertTrue(without.err().contains("extra-connector"), without.err());

    // validated in this process and trained in the child processes, which get the folder too
    Result with =
        mm1("--plugins", plugins.toString(), "ablate", grid.toString(), "--out", out.toString());
    assertEquals(0, with.status(), with.err() + with.out());
    assertTrue(with.out().contains("1 ran now"), with.out());
    assertTrue(Files.exists(out.resolve("variants/extra/eval/results.json")), with.out());
  }

  @Test
  void slurmScriptIsValidBashAndRunsTheVariantOfItsArrayTask() throws Exception {
    Path grid = grid(tokensGrid());
    Path out = dir.resolve("slurm");
    Result r =
        mm1("ablate", grid.toString(), "--emit", "slurm", out.toString(), "--parallelism", "2");
    assertEquals(0, r.status(), r.err());
    Path script = out.resolve("slurm.sh");
    String text = Files.readString(script);
    Process check =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    assertTrue(check.waitFor(30, TimeUnit.SECONDS));
    assertEquals(
        0,
        check.exitValue(),
        new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(text.contains("\n#SBATCH --array=0-3%2\n"), text);
    List<String> names =
        List.of("tokens-1_seed-1", "tokens-4_seed-1", "tokens-1_seed-2", "tokens-4_seed-2");
    for (int i = 0; i < names.size(); i++) {
      assertTrue(text.contains("  " + i + ") VARIANT='" + names.get(i) + "' ;;"), names.get(i));
      assertTrue(
          Files.isRegularFile(
              out.resolve("variants").resolve(names.get(i)).resolve("variant.conf")));
    }
    // Task 2 runs the third variant with the same mm1 run that mm1 ablate starts.
    ProcessBuilder task = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    task.environment().put("SLURM_ARRAY_TASK_ID", "2");
    task.environment().put("MM1", "echo mm1");
    Process p = task.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(
        0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path variant = out.toAbsolutePath().resolve("variants").resolve("tokens-1_seed-2");
    assertEquals(
        List.of(
            "# mm1 ablate: echo mm1 run variants/tokens-1_seed-2/variant.conf --out"
                + " variants/tokens-1_seed-2",
            "mm1 run variants/tokens-1_seed-2/variant.conf --out variants/tokens-1_seed-2"),
        Files.readAllLines(variant.resolve("log.txt")));
    // The folder it prepared is an ablation folder whose report lists every variant as missing.
    Result report = mm1("ablate", "report", out.toString());
    assertEquals(0, report.status(), report.err());
    String md = Files.readString(out.resolve("report.md"));
    for (String name : names) {
      assertTrue(md.contains("- " + name.replace("_", "\\_") + ": "), md);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesManifestIsAnIndexedJobThatNamesEveryVariant() throws IOException {
    Path grid = grid(tokensGrid());
    Path out = dir.resolve("k8s");
    Result r =
        mm1(
            "ablate",
            grid.toString(),
            "--emit",
            "kubernetes",
            out.toString(),
            "--image",
            "registry.example/mm1:0.1",
            "--parallelism",
            "3",
            "--volume-claim",
            "runs");
    assertEquals(0, r.status(), r.err());
    Map<String, Object> job = new Yaml().load(Files.readString(out.resolve("kubernetes.yaml")));
    assertEquals("batch/v1", job.get("apiVersion"));
    assertEquals("Job", job.get("kind"));
    assertEquals("mm1-ablate-tokens", ((Map<String, Object>) job.get("metadata")).get("name"));
    Map<String, Object> spec = (Map<String, Object>) job.get("spec");
    assertEquals("Indexed", spec.get("completionMode"));
    assertEquals(4, spec.get("completions"));
    assertEquals(3, spec.get("parallelism"));
    Map<String, Object> pod =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    assertEquals("Never", pod.get("restartPolicy"));
    Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    assertEquals("registry.example/mm1:0.1", container.get("image"));
    String script = ((List<String>) container.get("args")).get(0);
    assertTrue(script.contains("case \"${JOB_COMPLETION_INDEX}\" in"), script);
    for (String name :
        List.of("tokens-1_seed-1", "tokens-4_seed-1", "tokens-1_seed-2", "tokens-4_seed-2")) {
      assertTrue(script.contains("VARIANT='" + name + "'"), name);
    }
    Map<String, Object> claim =
        (Map<String, Object>)
            ((List<Map<String, Object>>) pod.get("volumes")).get(0).get("persistentVolumeClaim");
    assertEquals("runs", claim.get("claimName"));
  }

  private static String tokensGrid() {
    return "ablation {\n name = tokens\n base = tiny.conf\n"
        + " axes { \"mm1.model.connector.tokens\" = [1, 4] }\n seeds = [1, 2]\n}\n";
  }
}
