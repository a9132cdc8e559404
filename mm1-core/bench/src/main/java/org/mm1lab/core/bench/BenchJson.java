package org.mm1lab.core.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.train.TrainingStep.Phase;

/**
 * The figures of a bench run as JSON for tools ({@code mm1 bench --json}): {@code mfu} (a fraction)
 * at the top level, every figure unrounded, the targets with their goals and verdicts. Figures that
 * were not measured are NaN, written as such (and the float16 peak's matrix side 0).
 */
final class BenchJson {

  private BenchJson() {}

  /** The figures and targets as one object. */
  static JsonObject of(BenchFigures figures, List<BenchTargets.Target> targets) {
    BenchFigures.Setup setup = figures.setup();
    TrainingBench.Result training = figures.training();
    JsonObject root = new JsonObject();
    root.addProperty("mfu", figures.mfu());
    root.addProperty("run", setup.name());
    root.addProperty("run-file", setup.runFile());
    root.addProperty("engine", setup.engine());
    root.addProperty("device", setup.device());
    root.addProperty("processors", setup.processors());
    root.addProperty("omp-num-threads", setup.ompThreads());
    root.addProperty("threads", setup.threads());
    root.addProperty("glibc-tunables", setup.mallocTunables());
    root.addProperty("load-average-before", setup.loadBefore());
    root.addProperty("load-average-after", figures.loadAfter());
    root.add("model", model(setup));
    root.addProperty("matmul-peak-flops", figures.peak().flopsPerSecond());
    root.addProperty("matmul-size", figures.peak().size());
    JsonArray rounds = new JsonArray();
    figures.peak().rounds().forEach(rounds::add);
    root.add("matmul-peak-rounds", rounds);
    MatmulPeak.Result half = figures.halfPeak();
    root.addProperty("matmul-peak-fp16-flops", half == null ? Double.NaN : half.flopsPerSecond());
    root.addProperty("matmul-fp16-size", half == null ? 0 : half.size());
    root.add("training", training(training));
    root.add("model-flops", flops(setup.flops()));
    root.add("generation", generation(figures.generation()));
    root.add("generation-eval-batch", generation(figures.evalGeneration()));
    root.add("pipeline", pipeline(figures));
    root.add("memory", memory(figures));
    if (figures.hasBaseline()) {
      JsonObject base = training(figures.baseline());
      base.addProperty("run", figures.baselineName());
      base.addProperty("step-ratio", figures.baselineRatio());
      root.add("baseline", base);
    }
    if (figures.contended() != null) {
      ContentionBench.Result c = figures.contended();
      JsonObject contended = training(c.training());
      contended.addProperty("processes", c.processes());
      contended.addProperty("load-average-before", c.loadBefore());
      contended.addProperty("threads", c.threads().threads());
      contended.addProperty("threads-chosen-by", c.threads().source());
      contended.addProperty("mfu", figures.contendedMfu());
      contended.addProperty("speed-of-idle", figures.contendedSpeed());
      root.add("contended", contended);
    }
    root.add("targets", targets(targets));
    if (figures.scaling() != null) {
      root.add("scaling", figures.scaling().json());
    }
    return root;
  }

  /** Writes {@code json} pretty-printed, creating the folder it goes in. */
  static void write(JsonObject json, Path file) {
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
              .toJson(json),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The figures of timed training steps, also those of each scaling point. */
  static JsonObject training(TrainingBench.Result r) {
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

  private static JsonObject model(BenchFigures.Setup setup) {
    JsonObject model = new JsonObject();
    setup.parameters().forEach(model::addProperty);
    model.addProperty("vocabulary", setup.vocabulary());
    model.addProperty("batch-size", setup.batchSize());
    model.addProperty("seq-len", setup.sequenceLength());
    model.addProperty("precision", setup.precision());
    model.addProperty("image-size", setup.imageSize());
    model.addProperty("image-tokens", setup.imageTokens());
    return model;
  }

  private static JsonObject flops(ModelFlops terms) {
    JsonObject flops = new JsonObject();
    flops.addProperty("decoder-per-position", terms.decoderPerPosition());
    flops.addProperty("head-per-target", terms.headPerTarget());
    flops.addProperty("encoder-per-image", terms.encoderPerImage());
    flops.addProperty("connector-per-image", terms.connectorPerImage());
    flops.addProperty("approximated", terms.approximate());
    return flops;
  }

  private static JsonObject generation(GenerationBench.Result g) {
    JsonObject gen = new JsonObject();
    gen.addProperty("batch", g.batch());
    gen.addProperty("prompt-length", g.promptLength());
    gen.addProperty("new-tokens", g.newTokens());
    gen.addProperty("repeats", g.repeats());
    gen.addProperty("cached-tokens-per-s", g.cachedTokensPerSecond());
    gen.addProperty("uncached-tokens-per-s", g.uncachedTokensPerSecond());
    gen.addProperty("speedup", g.speedup());
    gen.addProperty("same-tokens", g.agree());
    gen.addProperty("prompt-pass-s", g.promptSeconds());
    gen.addProperty("cached-step-s", g.perTokenSeconds());
    gen.addProperty("threads", g.threads());
    gen.addProperty("step-threads", g.stepThreads());
    gen.addProperty("cached-step-engine-threads-s", g.engineThreadsPerTokenSeconds());
    return gen;
  }

  private static JsonObject pipeline(BenchFigures figures) {
    PipelineBench.Result pipeline = figures.pipeline();
    JsonObject data = new JsonObject();
    data.addProperty("batches-per-s", pipeline.batchesPerSecond());
    data.addProperty("images-per-s", pipeline.imagesPerSecond());
    data.addProperty("workers", pipeline.workers());
    data.addProperty("trainer-batches-per-s", figures.trainerBatchesPerSecond());
    data.addProperty("trainer-images-per-s", figures.trainerImagesPerSecond());
    data.addProperty("headroom", figures.pipelineHeadroom());
    return data;
  }

  private static JsonObject memory(BenchFigures figures) {
    TrainingBench.Result training = figures.training();
    JsonObject memory = new JsonObject();
    memory.addProperty("steps-n", training.memorySteps());
    memory.addProperty("rss-after-n", training.rssAtN());
    memory.addProperty("rss-after-10n", training.rssAt10N());
    if (training.atN() != null && training.at10N() != null) {
      memory.addProperty("heap-after-n", training.atN().heap());
      memory.addProperty("heap-after-10n", training.at10N().heap());
    }
    memory.addProperty("growth", figures.memoryGrowth());
    memory.addProperty("peak-rss", figures.peakRss());
    return memory;
  }

  /** Each target by name: its value, goal and, when measured, whether it was met. */
  private static JsonObject targets(List<BenchTargets.Target> targets) {
    JsonObject all = new JsonObject();
    for (BenchTargets.Target target : targets) {
      JsonObject one = new JsonObject();
      one.addProperty("value", target.value());
      one.addProperty("goal", target.goal());
      if (target.met() != null) {
        one.addProperty("met", target.met());
      }
      all.add(target.name(), one);
    }
    return all;
  }
}
