package org.mm1lab.core.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mm1lab.core.train.TrainingStep.Phase;

/**
 * Every figure of one {@code mm1 bench} run, as a table for people and JSON for tools, with the
 * targets of issue 10 checked against them. Ratios, not absolute numbers, are what carry across
 * machines: MFU divides by this machine's own measured peak.
 */
public final class BenchReport {

  /** MFU target of the training step. */
  static final double MFU_TARGET = 0.5;

  /** Largest growth of resident memory from {@code N} to {@code 10 N} steps. */
  static final double MEMORY_TARGET = 0.05;

  /** How many times faster than the trainer needs the pipeline must prepare batches. */
  static final double PIPELINE_TARGET = 5;

  /** How many times faster cached generation must be. */
  static final double CACHE_TARGET = 5;

  /** The largest step time of a compared run (MoE) over its baseline's (dense). */
  static final double BASELINE_TARGET = 1.5;

  private final Setup setup;
  private final BenchOptions options;
  private final MatmulPeak.Result peak;
  private final TrainingBench.Result training;
  private final GenerationBench.Result generation;
  private final GenerationBench.Result evalGeneration;
  private final PipelineBench.Result pipeline;
  private final String baselineName;
  private final TrainingBench.Result baseline;
  private final long peakRss;
  private final double loadAfter;
  private final ScalingBench.Result scaling;

  BenchReport(
      Setup setup,
      BenchOptions options,
      MatmulPeak.Result peak,
      TrainingBench.Result training,
      GenerationBench.Result generation,
      GenerationBench.Result evalGeneration,
      PipelineBench.Result pipeline,
      String baselineName,
      TrainingBench.Result baseline,
      long peakRss,
      double loadAfter) {
    this(
        setup,
        options,
        peak,
        training,
        generation,
        evalGeneration,
        pipeline,
        baselineName,
        baseline,
        peakRss,
        loadAfter,
        null);
  }

  private BenchReport(
      Setup setup,
      BenchOptions options,
      MatmulPeak.Result peak,
      TrainingBench.Result training,
      GenerationBench.Result generation,
      GenerationBench.Result evalGeneration,
      PipelineBench.Result pipeline,
      String baselineName,
      TrainingBench.Result baseline,
      long peakRss,
      double loadAfter,
      ScalingBench.Result scaling) {
    this.setup = setup;
    this.options = options;
    this.peak = peak;
    this.training = training;
    this.generation = generation;
    this.evalGeneration = evalGeneration;
    this.pipeline = pipeline;
    this.baselineName = baselineName;
    this.baseline = baseline;
    this.peakRss = peakRss;
    this.loadAfter = loadAfter;
    this.scaling = scaling;
  }

  /** This report with the scaling sweep added. */
  BenchReport withScaling(ScalingBench.Result result) {
    return new BenchReport(
        setup,
        options,
        peak,
        training,
        generation,
        evalGeneration,
        pipeline,
        baselineName,
        baseline,
        peakRss,
        loadAfter,
        result);
  }

  /** Model FLOP utilisation of the training step: model FLOP/s over the measured matmul peak. */
  public double mfu() {
    return training.flopsPerSecond() / peak.flopsPerSecond();
  }

  /** Resident memory growth from {@code N} to {@code 10 N} steps, NaN when not measured. */
  public double memoryGrowth() {
    if (training.rssAtN() <= 0 || training.rssAt10N() <= 0) {
      return Double.NaN;
    }
    return (training.rssAt10N() - training.rssAtN()) / (double) training.rssAtN();
  }

  /** Batches per second the trainer consumes. */
  double trainerBatchesPerSecond() {
    return 1 / training.stepSeconds();
  }

  /** How many times faster the pipeline prepares batches than the trainer consumes them. */
  public double pipelineHeadroom() {
    return pipeline.batchesPerSecond() / trainerBatchesPerSecond();
  }

  /** The table, every figure on its own line, targets last. */
  public String table() {
    StringBuilder t = new StringBuilder();
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
            + (setup.ompThreads() != null ? ", OMP_NUM_THREADS=" + setup.ompThreads() : ""));
    row(
        t,
        "native allocator",
        setup.mallocTunables() != null
            ? "GLIBC_TUNABLES=" + setup.mallocTunables()
            : "glibc defaults (./mm1 sets GLIBC_TUNABLES; see its comment)");
    row(t, "load average (1 min)", f("%.2f before, %.2f after", setup.loadBefore(), loadAfter));
    row(
        t,
        "model",
        f(
            "%.2fM parameters (encoder %.2fM, connector %.2fM, decoder %.2fM); vocabulary %d",
            total(setup.parameters()) / 1e6,
            setup.parameters().get("encoder") / 1e6,
            setup.parameters().get("connector") / 1e6,
            setup.parameters().get("decoder") / 1e6,
            setup.vocabulary()));
    row(
        t,
        "batch",
        f(
            "%d x %d positions, %.1f images of %d px (%d tokens each) per step",
            setup.batchSize(),
            setup.sequenceLength(),
            training.images(),
            setup.imageSize(),
            setup.imageTokens()));
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
                        .collect(java.util.stream.Collectors.joining(" and "))
                : ""));
    row(
        t,
        "training step",
        f(
                "%.3f s mean, %.3f s median (%d timed steps after %d warm-up)",
                training.stepSeconds(),
                training.medianStepSeconds(),
                training.steps(),
                options.warmup())
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
    ModelFlops flops = setup.flops();
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
    row(t, "MFU", f("%.1f%% of the matmul peak", 100 * mfu()));
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
    for (GenerationBench.Result g : List.of(generation, evalGeneration)) {
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
            trainerBatchesPerSecond(),
            training.images() / training.stepSeconds(),
            pipelineHeadroom()));
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
              100 * memoryGrowth()));
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
    row(t, "peak resident memory", gib(peakRss) + " (VmHWM, the whole process)");
    if (baseline != null) {
      row(
          t,
          "baseline " + baselineName,
          f(
              "%.3f s per step; this run %.2fx of it",
              baseline.stepSeconds(), training.stepSeconds() / baseline.stepSeconds()));
    }
    t.append('\n');
    for (Target target : targets()) {
      row(t, "target: " + target.name(), target.describe());
    }
    return t.toString();
  }

  /** The targets, each met or missed by this run's figures. */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("mfu", mfu(), MFU_TARGET, mfu() >= MFU_TARGET, ">= 50% MFU"));
    double growth = memoryGrowth();
    targets.add(
        new Target(
            "memory-flat",
            growth,
            MEMORY_TARGET,
            // a shrinking process leaks nothing: only growth counts against the target
            Double.isNaN(growth) ? null : growth <= MEMORY_TARGET,
            "RSS after 10N steps at most 5% above after N"));
    targets.add(
        new Target(
            "pipeline-headroom",
            pipelineHeadroom(),
            PIPELINE_TARGET,
            pipelineHeadroom() >= PIPELINE_TARGET,
            "pipeline >= 5x what the trainer consumes"));
    targets.add(
        new Target(
            "cache-speedup",
            generation.speedup(),
            CACHE_TARGET,
            generation.speedup() >= CACHE_TARGET,
            "cached generation >= 5x uncached, batch 1"));
    targets.add(
        new Target(
            "cache-speedup-eval-batch",
            evalGeneration.speedup(),
            CACHE_TARGET,
            evalGeneration.speedup() >= CACHE_TARGET,
            f(
                "cached generation >= 5x uncached, batch %d as mm1 eval runs",
                evalGeneration.batch())));
    if (baseline != null) {
      double ratio = training.stepSeconds() / baseline.stepSeconds();
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

  /** The figures as JSON, {@code mfu} (a fraction) at the top level. */
  public JsonObject json() {
    JsonObject root = new JsonObject();
    root.addProperty("mfu", mfu());
    root.addProperty("run", setup.name());
    root.addProperty("run-file", setup.runFile());
    root.addProperty("engine", setup.engine());
    root.addProperty("device", setup.device());
    root.addProperty("processors", setup.processors());
    root.addProperty("omp-num-threads", setup.ompThreads());
    root.addProperty("glibc-tunables", setup.mallocTunables());
    root.addProperty("load-average-before", setup.loadBefore());
    root.addProperty("load-average-after", loadAfter);
    JsonObject model = new JsonObject();
    setup.parameters().forEach(model::addProperty);
    model.addProperty("vocabulary", setup.vocabulary());
    model.addProperty("batch-size", setup.batchSize());
    model.addProperty("seq-len", setup.sequenceLength());
    model.addProperty("image-size", setup.imageSize());
    model.addProperty("image-tokens", setup.imageTokens());
    root.add("model", model);
    root.addProperty("matmul-peak-flops", peak.flopsPerSecond());
    root.addProperty("matmul-size", peak.size());
    JsonArray rounds = new JsonArray();
    peak.rounds().forEach(rounds::add);
    root.add("matmul-peak-rounds", rounds);
    root.add("training", trainingJson(training));
    JsonObject flops = new JsonObject();
    flops.addProperty("decoder-per-position", setup.flops().decoderPerPosition());
    flops.addProperty("head-per-target", setup.flops().headPerTarget());
    flops.addProperty("encoder-per-image", setup.flops().encoderPerImage());
    flops.addProperty("connector-per-image", setup.flops().connectorPerImage());
    flops.addProperty("approximated", setup.flops().approximate());
    root.add("model-flops", flops);
    root.add("generation", generationJson(generation));
    root.add("generation-eval-batch", generationJson(evalGeneration));
    JsonObject data = new JsonObject();
    data.addProperty("batches-per-s", pipeline.batchesPerSecond());
    data.addProperty("images-per-s", pipeline.imagesPerSecond());
    data.addProperty("workers", pipeline.workers());
    data.addProperty("trainer-batches-per-s", trainerBatchesPerSecond());
    data.addProperty("trainer-images-per-s", training.images() / training.stepSeconds());
    data.addProperty("headroom", pipelineHeadroom());
    root.add("pipeline", data);
    JsonObject memory = new JsonObject();
    memory.addProperty("steps-n", training.memorySteps());
    memory.addProperty("rss-after-n", training.rssAtN());
    memory.addProperty("rss-after-10n", training.rssAt10N());
    if (training.atN() != null && training.at10N() != null) {
      memory.addProperty("heap-after-n", training.atN().heap());
      memory.addProperty("heap-after-10n", training.at10N().heap());
    }
    memory.addProperty("growth", memoryGrowth());
    memory.addProperty("peak-rss", peakRss);
    root.add("memory", memory);
    if (baseline != null) {
      JsonObject base = trainingJson(baseline);
      base.addProperty("run", baselineName);
      base.addProperty("step-ratio", training.stepSeconds() / baseline.stepSeconds());
      root.add("baseline", base);
    }
    JsonObject targets = new JsonObject();
    for (Target target : targets()) {
      JsonObject one = new JsonObject();
      one.addProperty("value", target.value());
      one.addProperty("goal", target.goal());
      if (target.met() != null) {
        one.addProperty("met", target.met());
      }
      targets.add(target.name(), one);
    }
    root.add("targets", targets);
    if (scaling != null) {
      root.add("scaling", scaling.json());
    }
    return root;
  }

  /** Writes {@link #json()}. */
  public void writeJson(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(
          file,
          new GsonBuilder()
              .setPrettyPrinting()
              .serializeSpecialFloatingPointValues()
              .create()
              .toJson(json()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonObject generationJson(GenerationBench.Result g) {
    JsonObject gen = new JsonObject();
    gen.addProperty("batch", g.batch());
    gen.addProperty("prompt-length", g.promptLength());
    gen.addProperty("new-tokens", g.newTokens());
    gen.addProperty("repeats", g.repeats());
    gen.addProperty("cached-tokens-per-s", g.cachedTokensPerSecond());
    gen.addProperty("uncached-tokens-per-s", g.uncachedTokensPerSecond());
    gen.addProperty("speedup", g.speedup());
    gen.addProperty("same-tokens", g.agree());
    return gen;
  }

  static JsonObject trainingJson(TrainingBench.Result r) {
    JsonObject o = new JsonObject();
    o.addProperty("steps", r.steps());
    o.addProperty("non-finite-losses", r.nonFiniteLosses());
    o.addProperty("step-seconds", r.stepSeconds());
    o.addProperty("median-step-seconds", r.medianStepSeconds());
    o.addProperty("tokens-per-s", r.tokensPerSecond());
    o.addProperty("text-tokens-per-s", (r.realTokens() - r.imageTokens()) / r.stepSeconds());
    o.addProperty("image-tokens-per-s", r.imageTokens() / r.stepSeconds());
    o.addProperty("positions-per-step", r.positions());
    o.addProperty("targets-per-step", r.targets());
    o.addProperty("images-per-step", r.images());
    o.addProperty("flops-per-step", r.flops());
    o.addProperty("flops-per-s", r.flopsPerSecond());
    JsonObject split = new JsonObject();
    split.addProperty("data-wait", r.dataWaitSeconds());
    for (Map.Entry<Phase, Double> phase : r.phases().entrySet()) {
      split.addProperty(phase.getKey().name().toLowerCase(Locale.ROOT), phase.getValue());
    }
    o.add("seconds-per-step", split);
    return o;
  }

  private static long total(Map<String, Long> parameters) {
    return parameters.values().stream().mapToLong(Long::longValue).sum();
  }

  static String gib(long bytes) {
    return bytes < 0 ? "unknown" : f("%.3f GiB", bytes / (double) (1L << 30));
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void row(StringBuilder t, String name, String value) {
    t.append(f("%-28s %s%n", name, value));
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
  public record Target(String name, double value, double goal, Boolean met, String rule) {

    String describe() {
      String verdict = met == null ? "not measured" : met ? "met" : "MISSED";
      return f("%s (%s; measured %.3f)", verdict, rule, value);
    }
  }

  /**
   * The run as set up.
   *
   * @param name the run's name
   * @param runFile the run file
   * @param device the engine's device
   * @param engine engine name and version
   * @param processors processors the JVM sees
   * @param ompThreads {@code OMP_NUM_THREADS}, or {@code null}
   * @param mallocTunables {@code GLIBC_TUNABLES} (how native memory is allocated), or {@code null}
   * @param vocabulary the decoder's vocabulary
   * @param batchSize rows per batch
   * @param sequenceLength positions per row
   * @param imageTokens image tokens per image
   * @param imageSize the encoder's image side
   * @param parameters parameter counts by component
   * @param flops the model FLOPs formula's terms
   * @param loadBefore the one-minute load average at the start
   */
  record Setup(
      String name,
      String runFile,
      String device,
      String engine,
      int processors,
      String ompThreads,
      String mallocTunables,
      int vocabulary,
      int batchSize,
      int sequenceLength,
      int imageTokens,
      int imageSize,
      Map<String, Long> parameters,
      ModelFlops flops,
      double loadBefore) {

    String describe() {
      return f(
          "mm1 bench: %s on %s (%s), %d processors, load average %.2f; %.2fM parameters,"
              + " vocabulary %d",
          name, device, engine, processors, loadBefore, total(parameters) / 1e6, vocabulary);
    }
  }
}
