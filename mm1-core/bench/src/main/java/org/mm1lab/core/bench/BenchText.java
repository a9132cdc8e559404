package org.mm1lab.core.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.mm1lab.core.train.TrainingStep.Phase;

/**
 * The figures of a bench run as people read them on a terminal: a header line when the run is set
 * up, then a table of one figure per line, name and value, with the targets last.
 */
final class BenchText {

  private BenchText() {}

  /** The line that opens a bench run: the run, the machine and the model's size. */
  static String header(BenchFigures.Setup setup) {
    return f(
        "mm1 bench: %s on %s (%s), %d processors, load average %.2f; %.2fM parameters,"
            + " vocabulary %d",
        setup.name(),
        setup.device(),
        setup.engine(),
        setup.processors(),
        setup.loadBefore(),
        setup.totalParameters() / 1e6,
        setup.vocabulary());
  }

  /** The table, every figure on its own line, targets last. */
  static String table(BenchFigures figures, List<BenchTargets.Target> targets) {
    StringBuilder t = new StringBuilder();
    setup(t, figures);
    peak(t, figures.peak());
    if (figures.halfPeak() != null) {
      halfPeak(t, figures.halfPeak(), figures.peak());
    }
    training(t, figures);
    if (figures.contended() != null) {
      contended(t, figures);
    }
    for (GenerationBench.Result g : List.of(figures.generation(), figures.evalGeneration())) {
      generation(t, g);
      if (g.batch() == 1) {
        dispatch(t, figures, g);
      }
    }
    pipeline(t, figures);
    memory(t, figures);
    if (figures.hasBaseline()) {
      row(
          t,
          "baseline " + figures.baselineName(),
          f(
              "%.3f s per step; this run %.2fx of it",
              figures.baseline().stepSeconds(), figures.baselineRatio()));
    }
    t.append('\n');
    for (BenchTargets.Target target : targets) {
      row(t, "target: " + target.name(), describe(target));
    }
    return t.toString();
  }

  /** The run, the engine and machine, the model and its batch. */
  private static void setup(StringBuilder t, BenchFigures figures) {
    BenchFigures.Setup setup = figures.setup();
    row(t, "run", setup.name() + " (" + setup.runFile() + ")");
    row(
        t,
        "engine",
        setup.engine()
            + " on "
            + setup.device()
            + ", "
            + setup.processors()
            + " processors"
            + (setup.ompThreads() != null ? ", OMP_NUM_THREADS=" + setup.ompThreads() : "")
            + "; "
            + setup.threads());
    row(
        t,
        "native allocator",
        setup.mallocTunables() != null
            ? "GLIBC_TUNABLES=" + setup.mallocTunables()
            : "glibc defaults (./mm1 sets GLIBC_TUNABLES; see its comment)");
    row(
        t,
        "load average (1 min)",
        f("%.2f before, %.2f after", setup.loadBefore(), figures.loadAfter()));
    row(
        t,
        "model",
        f(
            "%.2fM parameters (encoder %.2fM, connector %.2fM, decoder %.2fM); vocabulary %d",
            setup.totalParameters() / 1e6,
            setup.parameters().get("encoder") / 1e6,
            setup.parameters().get("connector") / 1e6,
            setup.parameters().get("decoder") / 1e6,
            setup.vocabulary()));
    row(
        t,
        "batch",
        f(
            "%d x %d positions, %.1f images of %d px (%d tokens each) per step, %s",
            setup.batchSize(),
            setup.sequenceLength(),
            figures.training().images(),
            setup.imageSize(),
            setup.imageTokens(),
            setup.precision()));
  }

  private static void peak(StringBuilder t, MatmulPeak.Result peak) {
    row(
        t,
        "matmul peak",
        f(
            "%.1f GFLOP/s (%d^3 float32, best of %d: %.1f ms%s)",
            peak.flopsPerSecond() / 1e9,
            peak.size(),
            peak.repeats(),
            peak.bestSeconds() * 1e3,
            peak.rounds().size() > 1
                ? "; before and after training: "
                    + peak.rounds().stream()
                        .map(r -> f("%.1f", r / 1e9))
                        .collect(Collectors.joining(" and "))
                : ""));
  }

  /** The float16 peak, against the float32 one where both were measured at one size. */
  private static void halfPeak(StringBuilder t, MatmulPeak.Result half, MatmulPeak.Result single) {
    row(
        t,
        "matmul peak float16",
        f(
            "%.1f GFLOP/s (%d^3 float16, best of %d: %.1f ms; %s)",
            half.flopsPerSecond() / 1e9,
            half.size(),
            half.repeats(),
            half.bestSeconds() * 1e3,
            half.size() == single.size()
                ? f("%.2fx the float32 peak", half.flopsPerSecond() / single.flopsPerSecond())
                : f("a smaller side than float32's %d^3", single.size())));
  }

  /** The training step: its time, throughput, model FLOPs, utilisation and phase split. */
  private static void training(StringBuilder t, BenchFigures figures) {
    TrainingBench.Result training = figures.training();
    row(
        t,
        "training step",
        f(
                "%.3f s mean, %.3f s median (%d timed steps after %d warm-up)",
                training.stepSeconds(),
                training.medianStepSeconds(),
                training.steps(),
                figures.warmup())
            + (training.nonFiniteLosses() > 0
                ? f("; %d steps had a non-finite loss", training.nonFiniteLosses())
                : ""));
    double textTokens = training.realTokens() - training.imageTokens();
    row(
        t,
        "tokens/s",
        f(
            "%.0f (text %.0f, image %.0f); %.0f real of %.0f positions per step, %.0f with a target",
            training.tokensPerSecond(),
            textTokens / training.stepSeconds(),
            training.imageTokens() / training.stepSeconds(),
            training.realTokens(),
            training.positions(),
            training.targets()));
    ModelFlops flops = figures.setup().flops();
    row(
        t,
        "model FLOPs per step",
        f(
                "%.1f GFLOP (decoder %.1f, encoder %.1f, connector %.1f; 3 x forward)",
                training.flops() / 1e9,
                3
                    * flops.decoder(
                        Math.round(training.positions()), Math.round(training.targets()))
                    / 1e9,
                3 * flops.encoderPerImage() * training.images() / 1e9,
                3 * flops.connectorPerImage() * training.images() / 1e9)
            + (flops.approximate().isEmpty() ? "" : "; approximated: " + flops.approximate()));
    row(t, "model FLOP/s", f("%.1f GFLOP/s", training.flopsPerSecond() / 1e9));
    row(t, "MFU", f("%.1f%% of the matmul peak", 100 * figures.mfu()));
    Map<Phase, Double> phases = training.phases();
    double step = training.stepSeconds();
    double other =
        step
            - training.dataSeconds()
            - phases.get(Phase.FORWARD)
            - phases.get(Phase.BACKWARD)
            - phases.get(Phase.OPTIMIZER);
    row(
        t,
        "time split",
        f(
            "data %.1f%% (wait %.3f s, copy %.3f s), forward %.1f%% (%.3f s), backward %.1f%%"
                + " (%.3f s), optimizer %.1f%% (%.3f s), other %.1f%%",
            100 * training.dataSeconds() / step,
            training.dataWaitSeconds(),
            phases.get(Phase.TRANSFER),
            100 * phases.get(Phase.FORWARD) / step,
            phases.get(Phase.FORWARD),
            100 * phases.get(Phase.BACKWARD) / step,
            phases.get(Phase.BACKWARD),
            100 * phases.get(Phase.OPTIMIZER) / step,
            phases.get(Phase.OPTIMIZER),
            100 * other / step));
  }

  /** The step beside competing processes, against the idle one. */
  private static void contended(StringBuilder t, BenchFigures figures) {
    ContentionBench.Result c = figures.contended();
    row(
        t,
        "contended step",
        f(
            "%.3f s mean, %.3f s median with %d competing CPU-bound process%s (load average %.2f"
                + " as it began; %s)",
            c.training().stepSeconds(),
            c.training().medianStepSeconds(),
            c.processes(),
            c.processes() == 1 ? "" : "es",
            c.loadBefore(),
            c.threads().describe()));
    row(
        t,
        "contended MFU",
        f(
            "%.1f%% of the idle matmul peak; speed %.2f of idle (model FLOP/s %.1f vs %.1f G)",
            100 * figures.contendedMfu(),
            figures.contendedSpeed(),
            c.training().flopsPerSecond() / 1e9,
            figures.training().flopsPerSecond() / 1e9));
  }

  /** Generation with and without the cache at one batch size; batch 1 is named by default. */
  private static void generation(StringBuilder t, GenerationBench.Result g) {
    String batch = g.batch() == 1 ? "" : f(" (batch %d)", g.batch());
    row(
        t,
        "generation, cached" + batch,
        f(
            "%.1f tokens/s (%d new tokens after a %d-token prompt, batch %d, %.2f s%s)",
            g.cachedTokensPerSecond(),
            g.newTokens(),
            g.promptLength(),
            g.batch(),
            g.cachedSeconds(),
            g.repeats() > 1 ? f(", median of %d runs", g.repeats()) : ""));
    row(
        t,
        "generation, uncached" + batch,
        f(
            "%.1f tokens/s (%.2f s); cache speed-up %.1fx; same tokens: %s",
            g.uncachedTokensPerSecond(),
            g.uncachedSeconds(),
            g.speedup(),
            g.agree() ? "yes" : "NO"));
  }

  /**
   * A cached decode step at batch 1 against its model FLOPs: the share of the matmul peak it
   * reaches says how much of its time is arithmetic and how much the dispatch of its operations.
   */
  private static void dispatch(StringBuilder t, BenchFigures figures, GenerationBench.Result g) {
    double step = g.perTokenSeconds();
    double flops = figures.setup().flops().decoder(1, 1);
    row(
        t,
        "cached step, batch 1",
        f(
                "%.2f ms per token with %d thread%s (prompt pass %.1f ms); %.1f MFLOP of model"
                    + " work each, %.2f GFLOP/s = %.1f%% of the matmul peak: the rest is weight"
                    + " traffic and dispatch",
                step * 1e3,
                g.stepThreads(),
                g.stepThreads() == 1 ? "" : "s",
                g.promptSeconds() * 1e3,
                flops / 1e6,
                flops / step / 1e9,
                100 * flops / step / figures.peak().flopsPerSecond())
            + (Double.isNaN(g.engineThreadsCachedSeconds())
                ? ""
                : f(
                    "; with the engine's %d threads: %.2f ms per token",
                    g.threads(), g.engineThreadsPerTokenSeconds() * 1e3)));
  }

  /** The pipeline alone against what the trainer consumes. */
  private static void pipeline(StringBuilder t, BenchFigures figures) {
    PipelineBench.Result pipeline = figures.pipeline();
    row(
        t,
        "data pipeline",
        f(
            "%.2f batches/s, %.1f images/s prepared alone (%d workers, %d batches in %.1f s)",
            pipeline.batchesPerSecond(),
            pipeline.imagesPerSecond(),
            pipeline.workers(),
            pipeline.batches(),
            pipeline.seconds()));
    row(
        t,
        "trainer consumes",
        f(
            "%.2f batches/s, %.1f images/s; pipeline headroom %.1fx",
            figures.trainerBatchesPerSecond(),
            figures.trainerImagesPerSecond(),
            figures.pipelineHeadroom()));
  }

  /** Resident memory after {@code N} and {@code 10 N} steps, when read, and the peak. */
  private static void memory(StringBuilder t, BenchFigures figures) {
    TrainingBench.Result training = figures.training();
    if (training.memorySteps() > 0) {
      row(
          t,
          "resident memory",
          f(
              "%s after %d steps, %s after %d steps (%+.1f%%; each after a full GC)",
              gib(training.rssAtN()),
              training.memorySteps(),
              gib(training.rssAt10N()),
              10 * training.memorySteps(),
              100 * figures.memoryGrowth()));
      row(
          t,
          "  of which Java heap",
          f(
              "%s and %s committed; native and the rest %s and %s",
              gib(training.atN().heap()),
              gib(training.at10N().heap()),
              gib(training.atN().nativeBytes()),
              gib(training.at10N().nativeBytes())));
    } else {
      row(t, "resident memory", "flatness not measured (--memory-steps 0)");
    }
    row(t, "peak resident memory", gib(figures.peakRss()) + " (VmHWM, the whole process)");
  }

  /** A target's verdict, its rule and the measured value. */
  private static String describe(BenchTargets.Target target) {
    String verdict = target.met() == null ? "not measured" : target.met() ? "met" : "MISSED";
    return f("%s (%s; measured %.3f)", verdict, target.rule(), target.value());
  }

  private static String gib(long bytes) {
    return bytes < 0 ? "unknown" : f("%.3f GiB", bytes / (double) (1L << 30));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void row(StringBuilder t, String name, String value) {
    t.append(f("%-28s %s%n", name, value));
  }
}
