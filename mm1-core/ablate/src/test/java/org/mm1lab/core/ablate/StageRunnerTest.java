package org.mm1lab.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.testplugin.RunFiles;
import org.yaml.snakeyaml.Yaml;

/**
 * Encoder stages run for real in child processes of a stand-in mm1 (a shell script that pretrains
 * by writing files, and fails the stage of the wide encoder): stages before their runs, a failed
 * stage failing only its runs, resuming, the report, and the Slurm and Kubernetes jobs.
 */
class StageRunnerTest {

  @TempDir Path dir;

  private AblationSetup.Prepared prepared() throws IOException {
    return prepared(false);
  }

  /** The grid's folder; for a cluster bundle ({@code bundle}) its run files name relative paths. */
  private AblationSetup.Prepared prepared(boolean bundle) throws IOException {
    RunFiles.write(dir, "base.conf", RunFiles.STAND_IN_RUN);
    Path grid = dir.resolve("grid.conf");
    Files.writeString(
        grid,
        String.join(
            "\n",
            "ablation {",
            "  name = stages",
            "  base = base.conf",
            "  pretrain { settings { steps = 5, batch-size = 4 } }",
            "  axes { \"mm1.model.encoder.width\" = [16, 24] }",
            "  seeds = [1, 2]",
            "}",
            ""));
    return new AblationSetup(new Assembly(getClass().getClassLoader()))
        .prepare(grid, dir.resolve("out"), List.of(), bundle);
  }

  /** The stand-in: logs each start; pretrains by writing files; runs only with a stage's file. */
  private Path fakeMm1() throws IOException {
    Path script = dir.resolve("fake-mm1.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "# called as: fake-mm1.sh pretrain-encoder|run FILE --out DIR [--set ...]",
            "echo \"$1 $4\" >> '" + dir.resolve("starts.txt") + "'",
            "case \"$1\" in",
            "  pretrain-encoder)",
            "    case \"$4\" in *_w24_*) echo 'pretraining diverged at step 3'; exit 4 ;; esac",
            "    mkdir -p \"$4\"",
            "    printf '{\"step\":1,\"loss\":4.5,\"elapsed-s\":0.1}\\n"
                + "{\"step\":5,\"loss\":1.25,\"elapsed-s\":0.5}\\n' > \"$4/metrics.jsonl\"",
            "    echo weights > \"$4/encoder.safetensors\"",
            "    ;;",
            "  run)",
            "    ck=$(sed -n 's/.*checkpoint=\"\\(.*\\)\".*/\\1/p' \"$2\" | head -n 1)",
            "    [ -f \"$ck\" ] || { echo \"no encoder at $ck\"; exit 6; }",
            "    mkdir -p \"$4/eval\"",
            "    echo '{\"run\":\"x\",\"step\":1,\"results\":[{\"task\":\"caption\",\"shots\":0,"
                + "\"metric\":\"CIDEr-D\",\"score\":12.5}]}' > \"$4/eval/results.json\"",
            "    ;;",
            "esac",
            ""));
    return script;
  }

  private List<String> starts() throws IOException {
    Path file = dir.resolve("starts.txt");
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void stagesRunFirstAFailedStageFailsOnlyItsRunsAndCompleteStagesAreSkipped() throws IOException {
    AblationSetup.Prepared ablation = prepared();
    AblationFolder folder = ablation.folder();
    assertEquals(2, ablation.stages().size());
    String narrow = ablation.stages().get(0).name();
    String wide = ablation.stages().get(1).name();
    // An interrupted earlier attempt left half a pretraining behind.
    Files.createDirectories(folder.stagePartial(narrow));
    Files.writeString(folder.stagePartial(narrow).resolve("encoder.safetensors"), "torn");
    StringWriter text = new StringWriter();

    AblationRunner.Outcome outcome =
        new AblationRunner(List.of("/bin/sh", fakeMm1().toString()), 1, new PrintWriter(text))
            .run(ablation);

    String printed = text.toString();
    List<String> starts = starts();
    assertEquals(
        List.of(
            "pretrain-encoder " + folder.stagePartial(narrow),
            "pretrain-encoder " + folder.stagePartial(wide),
            "run " + folder.variant("width-16_seed-1"),
            "run " + folder.variant("width-16_seed-2")),
        starts,
        printed);
    assertEquals(2, outcome.ran());
    assertEquals(List.of("width-24_seed-1", "width-24_seed-2"), outcome.failed());
    assertEquals("weights\n", Files.readString(folder.stageWeights(narrow)), "not the torn file");
    assertFalse(Files.exists(folder.stagePartial(narrow)));
    assertEquals(
        ablation.stages().get(0).hash() + "\n", Files.readString(folder.stageDone(narrow)));
    assertFalse(folder.stageComplete(wide));
    assertTrue(
        printed.contains("4 runs, 0 complete, 4 to run; 2 encoder stages, 0 complete"), printed);
    assertTrue(
        printed.contains("work: 4 runs, 40 training steps; 2 encoder stages, 10 pretraining"),
        printed);
    assertTrue(printed.contains("stage " + narrow + " done in "), printed);
    assertTrue(printed.contains("loss 4.5000 -> 1.2500 over 5 steps; loaded by 2 run(s)"), printed);
    assertTrue(printed.contains("stage " + wide + " FAILED after"), printed);
    assertTrue(printed.contains("    pretraining diverged at step 3"), printed);
    assertTrue(
        printed.contains("width-24_seed-1 FAILED: its encoder stage " + wide + " failed"), printed);
    assertTrue(printed.contains("wall time "), printed);

    Path page = AblationReport.write(folder.root());
    String md = Files.readString(folder.summary());
    assertTrue(md.contains("## Encoder pretraining stages"), md);
    assertTrue(
        md.contains(
            "| "
                + narrow.replace("_", "\\_")
                + " | captioned | 7 | 5 | 4.5000 | 1.2500 | width-16 |"),
        md);
    assertTrue(md.contains("| 5 (not finished; see its log.txt) |  |  | width-24 |"), md);
    assertTrue(Files.readString(page).contains("<h2>Encoder pretraining stages</h2>"));

    // Again: the complete stage and its runs are left alone; the failed stage is tried again.
    Files.delete(dir.resolve("starts.txt"));
    StringWriter again = new StringWriter();
    AblationRunner.Outcome second =
        new AblationRunner(List.of("/bin/sh", fakeMm1().toString()), 2, new PrintWriter(again))
            .run(ablation);
    assertEquals(List.of("pretrain-encoder " + folder.stagePartial(wide)), starts());
    assertEquals(2, second.skipped());
    assertTrue(
        again.toString().contains("2 encoder stages, 1 complete, 1 to run"), again.toString());
  }

  private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
    Process p = builder.redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.exitValue() + ":" + out;
  }

  @Test
  void slurmSubmitsEachStagesVariantsAfterThatStageAndItsTasksRunThem() throws Exception {
    AblationSetup.Prepared ablation = prepared(true);
    AblationFolder folder = ablation.folder();
    String narrow = ablation.stages().get(0).name();
    String wide = ablation.stages().get(1).name();
    Path script = folder.root().resolve("slurm.sh");
    Files.writeString(
        script, SlurmScript.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 0, 0)));
    assertTrue(run(new ProcessBuilder("bash", "-n", script.toString())).startsWith("0:"));

    // Submitting: a stand-in sbatch records its arguments and answers a job id.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path sbatch = bin.resolve("sbatch");
    Files.writeString(
        sbatch,
        "#!/bin/sh\necho \"$*\" >> '" + dir.resolve("sbatch.txt") + "'\necho '4242;cluster'\n");
    assertTrue(sbatch.toFile().setExecutable(true));
    ProcessBuilder submit = new ProcessBuilder("bash", script.toString());
    submit.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    String submitted = run(submit);
    assertTrue(submitted.startsWith("0:"), submitted);
    assertEquals(
        List.of(
            "--parsable --chdir="
                + folder.root()
                + " --array=0-1 --job-name=mm1-stages-stages --output=stages/slurm-%A_%a.out "
                + script
                + " stage",
            "--parsable --chdir="
                + folder.root()
                + " --array=0,2 --dependency=afterok:4242_0 --kill-on-invalid-dep=yes "
                + script
                + " variant",
            "--parsable --chdir="
                + folder.root()
                + " --array=1,3 --dependency=afterok:4242_1 --kill-on-invalid-dep=yes "
                + script
                + " variant"),
        Files.readAllLines(dir.resolve("sbatch.txt")));

    // Stage task 0 pretrains into partial/, then renames it and marks the stage complete.
    ProcessBuilder stage = new ProcessBuilder("bash", script.toString(), "stage");
    stage.environment().put("SLURM_ARRAY_TASK_ID", "0");
    stage.environment().put("MM1", "/bin/sh " + fakeMm1());
    String staged = run(stage);
    assertTrue(staged.startsWith("0:"), staged);
    assertTrue(folder.stageComplete(narrow), staged);
    assertFalse(Files.exists(folder.stagePartial(narrow)));
    // Stage task 1 fails with mm1's exit status, and says so to the runs waiting for it.
    stage.environment().put("SLURM_ARRAY_TASK_ID", "1");
    String failed = run(stage);
    assertTrue(failed.startsWith("4:"), failed);
    assertTrue(failed.contains("pretraining diverged at step 3"), "tee'd: " + failed);
    assertTrue(failed.contains("stage " + wide + " FAILED"), failed);
    assertTrue(Files.exists(folder.stage(wide).resolve("stage.failed")));

    // Variant task 2 runs in the bundle folder, whose variant.conf names its stage's encoder
    // relative to it; its output goes to standard output and to its log.
    ProcessBuilder variant = new ProcessBuilder("bash", script.toString(), "variant");
    variant.environment().put("SLURM_ARRAY_TASK_ID", "2");
    variant.environment().put("MM1", "echo mm1");
    String ran = run(variant);
    assertTrue(ran.startsWith("0:"), ran);
    assertTrue(ran.contains("\nmm1 run variants/width-16_seed-2/variant.conf"), ran);
    Path run = folder.variant("width-16_seed-2");
    assertEquals(
        List.of(
            "# mm1 ablate: echo mm1 run variants/width-16_seed-2/variant.conf --out"
                + " variants/width-16_seed-2",
            "mm1 run variants/width-16_seed-2/variant.conf --out variants/width-16_seed-2"),
        Files.readAllLines(run.resolve("log.txt")));
    assertTrue(
        Files.readString(run.resolve("variant.conf"))
            .contains("checkpoint=\"stages/" + narrow + "/encoder/encoder.safetensors\""),
        Files.readString(run.resolve("variant.conf")));
    // Variant task 3's stage failed: it stops at once, naming the stage.
    variant.environment().put("SLURM_ARRAY_TASK_ID", "3");
    String refused = run(variant);
    assertTrue(refused.startsWith("1:"), refused);
    assertTrue(refused.contains("needs the encoder of stage " + wide), refused);
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesRunsAStagesJobAndVariantsWaitForTheirStage() throws Exception {
    AblationSetup.Prepared ablation = prepared(true);
    String text =
        KubernetesJob.render(ablation.plan(), new ClusterJob("mm1", 2, "4G", 0, 0), "img", "claim");
    List<Object> docs = new java.util.ArrayList<>();
    new Yaml().loadAll(text).forEach(docs::add);
    assertEquals(2, docs.size());
    Map<String, Object> stages = (Map<String, Object>) docs.get(0);
    Map<String, Object> runs = (Map<String, Object>) docs.get(1);
    assertEquals(
        "mm1-ablate-stages-stages", ((Map<String, Object>) stages.get("metadata")).get("name"));
    assertEquals("mm1-ablate-stages", ((Map<String, Object>) runs.get("metadata")).get("name"));
    Map<String, Object> stageSpec = (Map<String, Object>) stages.get("spec");
    assertEquals(2, stageSpec.get("completions"));
    assertEquals(0, stageSpec.get("backoffLimitPerIndex"));
    Map<String, Object> runSpec = (Map<String, Object>) runs.get("spec");
    assertEquals(4, runSpec.get("completions"));
    Map<String, Object> pod =
        (Map<String, Object>) ((Map<String, Object>) runSpec.get("template")).get("spec");
    Map<String, Object> init = ((List<Map<String, Object>>) pod.get("initContainers")).get(0);
    Map<String, Object> main = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    assertTrue(
        ((List<String>) main.get("args"))
            .get(0)
            .contains("mm1_logged \"${RUN}/log.txt\" run \"${RUN}/variant.conf\""));
    Map<String, Object> stagePod =
        (Map<String, Object>) ((Map<String, Object>) stageSpec.get("template")).get("spec");
    String stageScript =
        ((List<String>) ((List<Map<String, Object>>) stagePod.get("containers")).get(0).get("args"))
            .get(0);
    assertTrue(stageScript.contains("pretrain-encoder"), stageScript);

    // The init container's wait: done at once for a complete stage, failing for a failed one.
    String wait = ((List<String>) init.get("args")).get(0);
    AblationFolder folder = ablation.folder();
    String narrow = ablation.stages().get(0).name();
    String wide = ablation.stages().get(1).name();
    Files.createDirectories(folder.stageOutput(narrow));
    Files.writeString(folder.stageDone(narrow), "x\n");
    Files.writeString(folder.stage(wide).resolve("stage.failed"), "see log\n");
    ProcessBuilder sh = new ProcessBuilder("/bin/sh", "-c", wait);
    sh.environment().put("MM1_ABLATION_DIR", folder.root().toString());
    sh.environment().put("JOB_COMPLETION_INDEX", "2");
    assertTrue(run(sh).startsWith("0:"));
    sh.environment().put("JOB_COMPLETION_INDEX", "1");
    String failed = run(sh);
    assertTrue(failed.startsWith("2:") && failed.contains("stage " + wide + " FAILED"), failed);
  }
}
