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
 *   variants/NAME/           one run folder per variant (see RunLayout), with
 *     variant.conf           the run file the variant runs (the base with its overrides)
 *     log.txt                the run's output
 *   report/index.html        the comparison page, its charts and comparison.csv
 *   report.md                the comparison in Markdown
 *   slurm.sh, kubernetes.yaml  written by --emit
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

  /** Whether a variant has finished: trained and evaluated. */
  public boolean complete(String name) {
    return Files.isRegularFile(results(name));
  }
}
