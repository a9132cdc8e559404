package org.mm1lab.core.ablate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.layout.RunLayout.Ablation;

/**
 * An ablation's folder and what lives in it, named in {@link Ablation}:
 *
 * <pre>
 *   ablation.json            the grid's expansion: axes, seeds, baseline, every run's overrides
 *   grid.conf, base.conf     copies of the grid file and the base run file, as they were
 *   timing.json              each mm1 ablate session that ran children here: command, start, end,
 *                            wall time, the machine (cores, CPU, memory, load averages), mm1's
 *                            version and commit
 *   variants/NAME/           one run folder per variant (see RunLayout), with
 *     variant.conf           the run file the variant runs (the base with its overrides)
 *     log.txt                the run's output
 *   stages/NAME/             one folder per encoder pretraining stage, with
 *     stage.conf             the run file mm1 pretrain-encoder runs
 *     log.txt                its output
 *     partial/               where it writes while it runs (deleted when it starts over)
 *     encoder/               its finished output (encoder.safetensors, encoder.json,
 *                            metrics.jsonl, run.conf, loss.png): partial/, renamed when done
 *     stage.done             the completion marker, holding the stage's hash
 *   report/index.html        the comparison page, its charts and comparison.csv
 *   report.md                the comparison in Markdown
 *   slurm.sh, kubernetes.yaml  written by --emit
 *   inputs/                  with --emit: copies of the files the run files read (checkpoints,
 *                            tokenizer, data), named by paths relative to this folder
 * </pre>
 */
public final class AblationFolder {

  private final Path root;

  /** A view of {@code root}; nothing is created. */
  public AblationFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The folder. */
  public Path root() {
    return root;
  }

  /** The grid's expansion. */
  public Path plan() {
    return root.resolve(Ablation.PLAN);
  }

  /** The copy of the grid file. */
  public Path gridCopy() {
    return root.resolve(Ablation.GRID);
  }

  /** The record of the sessions that ran the ablation (see {@link AblationTiming}). */
  public Path timing() {
    return root.resolve(Ablation.TIMING);
  }

  /** The copy of the base run file. */
  public Path baseCopy() {
    return root.resolve(Ablation.BASE);
  }

  /** The folder of all variants. */
  public Path variants() {
    return root.resolve(Ablation.VARIANTS);
  }

  /** A variant's run folder. */
  public Path variant(String name) {
    return variants().resolve(name);
  }

  /** What a variant's run folder holds. */
  public RunLayout variantRun(String name) {
    return new RunLayout(variant(name));
  }

  /** A variant's run file. */
  public Path variantConfig(String name) {
    return variant(name).resolve(Ablation.VARIANT_CONFIG);
  }

  /** A variant's output. */
  public Path log(String name) {
    return variant(name).resolve(Ablation.LOG);
  }

  /** A variant's evaluation results; their presence marks the variant complete. */
  public Path results(String name) {
    return variantRun(name).evalResults();
  }

  /** A variant's training metrics. */
  public Path metrics(String name) {
    return variantRun(name).metrics();
  }

  /** The report folder. */
  public Path reportDir() {
    return root.resolve(RunLayout.REPORT);
  }

  /** The comparison page. */
  public Path reportPage() {
    return reportDir().resolve(RunLayout.Report.PAGE);
  }

  /** The comparison in Markdown. */
  public Path summary() {
    return root.resolve(RunLayout.SUMMARY);
  }

  /** The folder of all encoder stages. */
  public Path stages() {
    return root.resolve(Ablation.STAGES);
  }

  /** A stage's folder. */
  public Path stage(String name) {
    return stages().resolve(name);
  }

  /** A stage's run file. */
  public Path stageConfig(String name) {
    return stage(name).resolve(Ablation.STAGE_CONFIG);
  }

  /** A stage's output. */
  public Path stageLog(String name) {
    return stage(name).resolve(Ablation.LOG);
  }

  /** Where a stage's pretraining writes while it runs. */
  public Path stagePartial(String name) {
    return stage(name).resolve(Ablation.STAGE_PARTIAL);
  }

  /** A stage's finished pretraining folder. */
  public Path stageOutput(String name) {
    return stage(name).resolve(Ablation.STAGE_OUTPUT);
  }

  /** The encoder weights a stage's runs load. */
  public Path stageWeights(String name) {
    return stageOutput(name).resolve(RunLayout.Pretraining.WEIGHTS);
  }

  /** A stage's pretraining metrics, once it is finished. */
  public Path stageMetrics(String name) {
    return stageOutput(name).resolve(RunLayout.METRICS);
  }

  /** A stage's completion marker. */
  public Path stageDone(String name) {
    return stage(name).resolve(Ablation.STAGE_DONE);
  }

  /** Whether a stage has finished: its encoder is in place and marked complete. */
  public boolean stageComplete(String name) {
    return Files.isRegularFile(stageWeights(name)) && Files.isRegularFile(stageDone(name));
  }

  /** Whether a variant has finished: trained and evaluated. */
  public boolean complete(String name) {
    return Files.isRegularFile(results(name));
  }
}
