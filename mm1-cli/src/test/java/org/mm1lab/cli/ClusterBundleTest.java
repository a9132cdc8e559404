package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster bundle runs wherever its folder is mounted: emitted by the real CLI in one working
 * directory, from a grid whose base run reads a data file by a relative path and whose variants
 * load an encoder stage, then moved elsewhere (the emitting folder's data deleted), its Slurm
 * script runs the stage task and a variant task as real processes from a third working directory,
 * with only {@code MM1_ABLATION_DIR} and {@code SLURM_ARRAY_TASK_ID} set as Slurm would; mm1's
 * output reaches both standard output and the logs, and {@code mm1 ablate report} merges the
 * result.
 */
class ClusterBundleTest {

  private static final long TIMEOUT_MINUTES = 8;

  @TempDir Path dir;

  /** A child process in {@code workDir}: exit status and everything it printed. */
  private record Finished(int status, String output) {}

  private static Finished run(ProcessBuilder builder) throws IOException, InterruptedException {
    Process p = builder.redirectErrorStream(true).start();
    // Read while it runs: a full pipe would block it.
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES), "it ended");
    return new Finished(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void aBundleEmittedInOneFolderRunsItsStageAndAVariantFromAnother() throws Exception {
    Path laptop = Files.createDirectories(dir.resolve("laptop"));
    Files.createDirectories(laptop.resolve("data"));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("{\"id\": \"t" + i + "\", \"text\": \"a red circle is above a blue square\"}");
    }
    Files.write(laptop.resolve("data/texts.jsonl"), texts);
    Files.writeString(
        laptop.resolve("tiny.conf"),
        AblateCommandTest.TINY_BASE
            + "mm1.data.sources {\n"
            + "  captioned { format = world, kind = captioned }\n"
            + "  text { format = jsonl-text, path = \"data/texts.jsonl\" }\n"
            + "}\n");
    Files.writeString(
        laptop.resolve("grid.conf"),
        String.join(
            "\n",
            "ablation {",
            "  name = bundle",
            "  base = tiny.conf",
            "  set {",
            "    \"mm1.model.encoder.embed-dim\" = 16",
            "    \"mm1.model.encoder.text-width\" = 16",
            "    \"mm1.model.encoder.text-layers\" = 1",
            "    \"mm1.train.freeze\" = [encoder]",
            "    \"mm1.train.steps\" = 2",
            "  }",
            "  pretrain { settings { steps = 2, batch-size = 4, log-every = 1 } }",
            "  axes { \"mm1.model.connector.tokens\" = [1, 4] }",
            "}",
            ""));
    String mm1 = String.join(" ", AblateCommand.launcher(List.of()));

    List<String> emit = new ArrayList<>(AblateCommand.launcher(List.of()));
    emit.addAll(List.of("ablate", "grid.conf", "--emit", "slurm", "bundle", "--gpus", "1"));
    Finished emitted = run(new ProcessBuilder(emit).directory(laptop.toFile()));
    assertEquals(0, emitted.status(), emitted.output());
    assertTrue(
        emitted.output().contains("copied data/texts.jsonl to inputs/1-texts.jsonl"),
        emitted.output());
    Path first = laptop.resolve("bundle");
    String script = Files.readString(first.resolve("slurm.sh"));
    assertTrue(script.contains("\n#SBATCH --gres=gpu:1\n"), script);
    assertFalse(script.contains(laptop.toString()), "no path of the emitting machine: " + script);

    // The cluster mounts the folder somewhere else; the emitting machine's files are gone.
    Path bundle = Files.createDirectories(dir.resolve("cluster/mnt")).resolve("bundle");
    Files.move(first, bundle);
    deleteTree(laptop);
    Path elsewhere = Files.createDirectories(dir.resolve("cluster/home"));
    // What the jobs read names no path of the emitting machine (ablation.json records, and the
    // run files' comments tell, where the grid came from; the jobs use neither).
    try (Stream<Path> files = Files.walk(bundle)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.getFileName().toString().equals("ablation.json")) {
          continue;
        }
        boolean conf = f.getFileName().toString().endsWith(".conf");
        for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
          if (!(conf && line.startsWith("#"))) {
            assertFalse(line.contains(dir.toString()), f + " names an absolute path: " + line);
          }
        }
      }
    }
    Path variantConf = bundle.resolve("variants/tokens-1/variant.conf");
    assertTrue(
        Files.readString(variantConf).contains("\"inputs/1-texts.jsonl\""),
        Files.readString(variantConf));
    assertTrue(Files.isRegularFile(bundle.resolve("inputs/1-texts.jsonl")));

    ProcessBuilder stage =
        new ProcessBuilder("bash", bundle.resolve("slurm.sh").toString(), "stage")
            .directory(elsewhere.toFile());
    stage.environment().put("SLURM_ARRAY_TASK_ID", "0");
    stage.environment().put("MM1_ABLATION_DIR", bundle.toString());
    stage.environment().put("MM1", mm1);
    Finished staged = run(stage);
    assertEquals(0, staged.status(), staged.output());
    Path stageFolder;
    try (Stream<Path> list = Files.list(bundle.resolve("stages"))) {
      stageFolder = list.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertTrue(Files.isRegularFile(stageFolder.resolve("stage.done")), staged.output());
    assertTrue(Files.isRegularFile(stageFolder.resolve("encoder/encoder.safetensors")));
    String stageLog = Files.readString(stageFolder.resolve("log.txt"));
    String lastStageLine = stageLog.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(staged.output().contains(lastStageLine), "tee'd: " + staged.output());

    ProcessBuilder variant =
        new ProcessBuilder("bash", bundle.resolve("slurm.sh").toString(), "variant")
            .directory(elsewhere.toFile());
    variant.environment().put("SLURM_ARRAY_TASK_ID", "0");
    variant.environment().put("MM1_ABLATION_DIR", bundle.toString());
    variant.environment().put("MM1", mm1);
    Finished ran = run(variant);
    assertEquals(0, ran.status(), ran.output());
    Path results = bundle.resolve("variants/tokens-1/eval/results.json");
    assertTrue(Files.isRegularFile(results), ran.output());
    String runLog = Files.readString(bundle.resolve("variants/tokens-1/log.txt"));
    assertTrue(runLog.startsWith("# mm1 ablate: "), runLog);
    String lastRunLine = runLog.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(ran.output().contains(lastRunLine), "tee'd: " + ran.output());
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertEquals(0, files.count(), "nothing written in the working directory");
    }

    // Again: a complete variant is left alone.
    Finished again = run(variant);
    assertEquals(0, again.status(), again.output());
    assertTrue(again.output().contains("tokens-1 is complete"), again.output());

    Mm1Cli.Result report = Mm1Cli.mm1("ablate", "report", bundle.toString());
    assertEquals(0, report.status(), report.err());
    String md = Files.readString(bundle.resolve("report.md"));
    assertTrue(md.contains("tokens-1"), md);
    assertTrue(md.contains("- tokens-4: "), "the variant that did not run is listed: " + md);
  }

  @Test
  void anInputThatDoesNotExistIsOneLineAndNothingIsWritten() throws Exception {
    Files.writeString(
        dir.resolve("tiny.conf"),
        AblateCommandTest.TINY_BASE
            + "mm1.model.encoder.checkpoint = \"runs/missing/encoder.safetensors\"\n");
    Path grid = dir.resolve("grid.conf");
    Files.writeString(
        grid,
        "ablation { name = missing, base = tiny.conf,"
            + " axes { \"mm1.model.connector.tokens\" = [1, 4] } }\n");
    Path out = dir.resolve("bundle");
    Mm1Cli.Result r = Mm1Cli.mm1("ablate", grid.toString(), "--emit", "kubernetes", out.toString());
    assertEquals(Main.USER_ERROR, r.status(), r.err());
    assertEquals(1, r.errorLines().size(), r.err());
    assertEquals(
        "mm1: error: variants tokens-1, tokens-4: mm1.model.encoder.checkpoint ="
            + " runs/missing/encoder.safetensors: no such file or folder (relative paths are"
            + " looked up in the working directory "
            + Path.of("").toAbsolutePath()
            + "); create it, or point the grid or its base run at an existing one",
        r.errorLines().get(0));
    assertFalse(Files.exists(out.resolve("ablation.json")), "nothing written");
    assertFalse(Files.exists(out.resolve("kubernetes.yaml")), "nothing written");
  }

  @Test
  void badResourceOptionsAreOneLineEach() {
    Path grid = dir.resolve("grid.conf");
    for (String[] bad :
        List.of(
            new String[] {"--gpus", "-1", "--gpus -1: give 0 (none) or more"},
            new String[] {
              "--memory",
              "16GB",
              "--memory 16GB: give a whole number with K, M, G or T, e.g. 16G" + " or 512M"
            },
            new String[] {"--cpus", "0", "--cpus 0: give at least 1"})) {
      Mm1Cli.Result r =
          Mm1Cli.mm1(
              "ablate",
              grid.toString(),
              "--emit",
              "slurm",
              dir.resolve("out").toString(),
              bad[0],
              bad[1]);
      assertEquals(Main.USER_ERROR, r.status(), r.err());
      assertEquals(List.of("mm1: error: " + bad[2]), r.errorLines(), r.err());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
