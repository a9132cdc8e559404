package org.mm1lab.core.ablate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ablation's folder and what lives in it:
 *
 * <pre>
 *   ablation.json            the grid's expansion: axes, seeds, baseline, every run's overrides
 *   grid.conf, base.conf     copies of the grid file and the base run file, as they were
 *   variants/NAME/           one run folder per variant (see RunDirectory), with
 *     variant.conf           the run file the variant runs (the base with its overrides)
 *     log.txt                the run's output
 *   report/index.html        the comparison page, its charts and comparison.csv
 *   report.md                the comparison in Markdown
 *   slurm.sh, kubernetes.yaml  written by --emit
 * </pre>
 */
public final class AblationFolder {

  /** The run file of a variant inside its folder. */
  public static final String VARIANT_CONFIG = "variant.conf";

  private final Path root;

  /** A view of {@code root}; nothing is created. */
  public AblationFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The default folder of an ablation: {@code runs/ablations/<name>}. */
  public static Path defaultRoot(String name) {
    return Path.of("runs", "ablations", name);
  }

  /** The folder. */
  public Path root() {
    return root;
  }

  /** The grid's expansion. */
  public Path plan() {
    return root.resolve("ablation.json");
  }

  /** The copy of the grid file. */
  public Path gridCopy() {
    return root.resolve("grid.conf");
  }

  /** The copy of the base run file. */
  public Path baseCopy() {
    return root.resolve("base.conf");
  }

  /** The folder of all variants. */
  public Path variants() {
    return root.resolve("variants");
  }

  /** A variant's run folder. */
  public Path variant(String name) {
    return variants().resolve(name);
  }

  /** A variant's run file. */
  public Path variantConfig(String name) {
    return variant(name).resolve(VARIANT_CONFIG);
  }

  /** A variant's output. */
  public Path log(String name) {
    return variant(name).resolve("log.txt");
  }

  /** A variant's evaluation results; their presence marks the variant complete. */
  public Path results(String name) {
    return variant(name).resolve("eval").resolve("results.json");
  }

  /** A variant's training metrics. */
  public Path metrics(String name) {
    return variant(name).resolve("metrics.jsonl");
  }

  /** The report folder. */
  public Path reportDir() {
    return root.resolve("report");
  }

  /** Whether a variant has finished: trained and evaluated. */
  public boolean complete(String name) {
    return Files.isRegularFile(results(name));
  }
}
