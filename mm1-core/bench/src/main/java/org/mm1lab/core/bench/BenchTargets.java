package org.mm1lab.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the figures of a bench run are held to: the bound of each target and whether the run meets
 * it. The bounds are ratios so that they hold on any machine: utilisation against this machine's
 * own peak, memory growth, the pipeline's lead over the trainer, the cache's speed-up, the step's
 * speed beside competing processes against its idle speed, and an MoE run's step against its dense
 * baseline's.
 */
public final class BenchTargets {

  /** MFU target of the training step. */
  static final double MFU_TARGET = 0.55;

  /** The least speed of the training step beside competing processes, as a share of idle. */
  static final double CONTENDED_TARGET = 0.4;

  /** Largest growth of resident memory from {@code N} to {@code 10 N} steps. */
  static final double MEMORY_TARGET = 0.05;

  /** How many times faster than the trainer needs the pipeline must prepare batches. */
  static final double PIPELINE_TARGET = 5;

  /** How many times faster cached generation must be. */
  static final double CACHE_TARGET = 5;

  /** The largest step time of a compared run (MoE) over its baseline's (dense). */
  static final double BASELINE_TARGET = 1.5;

  private BenchTargets() {}

  /** Every target that applies to {@code figures}, each met, missed or not measured. */
  static List<Target> check(BenchFigures figures) {
    List<Target> targets = new ArrayList<>();
    double mfu = figures.mfu();
    targets.add(new Target("mfu", mfu, MFU_TARGET, mfu >= MFU_TARGET, ">= 55% MFU"));
    double growth = figures.memoryGrowth();
    targets.add(
        new Target(
            "memory-flat",
            growth,
            MEMORY_TARGET,
            // a shrinking process leaks nothing: only growth counts against the target
            Double.isNaN(growth) ? null : growth <= MEMORY_TARGET,
            "RSS after 10N steps at most 5% above after N"));
    double headroom = figures.pipelineHeadroom();
    targets.add(
        new Target(
            "pipeline-headroom",
            headroom,
            PIPELINE_TARGET,
            headroom >= PIPELINE_TARGET,
            "pipeline >= 5x what the trainer consumes"));
    double speedup = figures.generation().speedup();
    targets.add(
        new Target(
            "cache-speedup",
            speedup,
            CACHE_TARGET,
            speedup >= CACHE_TARGET,
            "cached generation >= 5x uncached, batch 1"));
    double evalSpeedup = figures.evalGeneration().speedup();
    targets.add(
        new Target(
            "cache-speedup-eval-batch",
            evalSpeedup,
            CACHE_TARGET,
            evalSpeedup >= CACHE_TARGET,
            String.format(
                Locale.ROOT,
                "cached generation >= 5x uncached, batch %d as mm1 eval runs",
                figures.evalGeneration().batch())));
    if (figures.contended() != null) {
      double speed = figures.contendedSpeed();
      targets.add(
          new Target(
              "contended-speed",
              speed,
              CONTENDED_TARGET,
              speed >= CONTENDED_TARGET,
              String.format(
                  Locale.ROOT,
                  "training step with %d competing process%s >= 0.4 of its idle speed",
                  figures.contended().processes(),
                  figures.contended().processes() == 1 ? "" : "es")));
    }
    if (figures.hasBaseline()) {
      double ratio = figures.baselineRatio();
      targets.add(
          new Target(
              "baseline-ratio",
              ratio,
              BASELINE_TARGET,
              ratio <= BASELINE_TARGET,
              "step time <= 1.5x the baseline's"));
    }
    return targets;
  }

  /**
   * One target.
   *
   * @param name its JSON key
   * @param value the measured figure
   * @param goal the bound it must meet
   * @param met whether it does, {@code null} when not measured
   * @param rule the target in words
   */
  public record Target(String name, double value, double goal, Boolean met, String rule) {}
}
