package org.mm1lab.core.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonPrimitive;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.core.run.EngineThreads;
import org.mm1lab.core.run.ModelInstance;

/**
 * {@code mm1 bench}: assembles a run, then measures in one process on one engine the matmul peak,
 * the training step (and, with {@code --contend N}, the same step beside N competing processes),
 * generation with and without the key/value cache, the data pipeline and resident memory;
 * optionally a baseline run's step (the dense model an MoE is compared with) and the scaling sweep.
 *
 * <p>Output. Progress and results go to {@code out}: the header line, a line as each measurement
 * starts, the training steps' {@link org.mm1lab.core.io.Progress}, the table, the scaling table and
 * where the JSON and plot went. Diagnostics are logged through SLF4J: a scaling point the run
 * cannot take is skipped with a warning from {@link ScalingBench}'s logger.
 */
public final class Benchmark {

  /** The built-in tiny run of {@code --quick} without a run file. */
  static final String QUICK_RUN = "quick.conf";

  /**
   * Untimed full cached generations before the batch-1 figures: the JIT compiles that
   * dispatch-bound path over several runs (each about 0.4 s on the small config).
   */
  static final int BATCH1_WARMUPS = 8;

  /** Timed generations of each path at batch 1, whose median is reported. */
  static final int BATCH1_REPEATS = 5;

  /**
   * The largest matrix side of the float16 peak on a CPU. PyTorch's CPU library has no fast float16
   * matrix product on CPUs without half-precision instructions: 0.7 GFLOP/s at 512 on a 2-core
   * development machine, against about 90 in float32, so the 2048 side of the float32 peak would
   * take half a minute a product there. A GPU measures both at the same side.
   */
  static final int CPU_HALF_SIDE = 512;

  // The eval-batch figures run once after the batch-1 ones (the JIT is warm by then): their
  // uncached pass alone takes about 20 s on the small config, and compute, not dispatch, bounds it.

  private final Assembly assembly;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param assembly plugins and the config loader
   * @param out where progress and the tables go
   * @param terminal whether {@code out} is an interactive terminal
   */
  public Benchmark(Assembly assembly, PrintWriter out, boolean terminal) {
    this.assembly = assembly;
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * Runs the benchmark.
   *
   * @param options what to measure
   * @param baseline a run whose training step the measured one is compared with, or {@code null}
   * @return every figure, already printed
   * @throws UserException for a bad run file or setting, as one line each
   */
  public BenchReport run(BenchOptions options, Path baseline) {
    Path scratch = scratchFolder();
    try {
      Path runFile = options.runFile();
      if (runFile == null) {
        if (!options.quick()) {
          throw new UserException(
              "name the run to benchmark, e.g. mm1 bench examples/bench/small.conf (or use --quick"
                  + " for the built-in tiny run)");
        }
        runFile = scratch.resolve(QUICK_RUN);
        copyResource(QUICK_RUN, runFile);
      }
      double loadBefore = LoadAverage.oneMinute();
      BenchFigures.Setup setup;
      MatmulPeak.Result peak;
      MatmulPeak.Result halfPeak;
      TrainingBench.Result training;
      ContentionBench.Result contended = null;
      GenerationBench.Result generation;
      GenerationBench.Result evalGeneration;
      PipelineBench.Result pipeline;
      try (BenchRun run = open(runFile, options.overrides(), options.vocabulary(), scratch)) {
        setup = setup(runFile, run, loadBefore);
        out.println(BenchText.header(setup));
        out.println("matmul peak: " + options.matmulSize() + "^3 float32, best of 5 ...");
        peak = MatmulPeak.measure(run.instance.manager(), options.matmulSize(), 5);
        out.println(
            "training: "
                + options.warmup()
                + " warm-up + "
                + options.steps()
                + " timed steps"
                + (options.memorySteps() > 0
                    ? ", memory read at steps "
                        + options.memorySteps()
                        + " and "
                        + 10 * options.memorySteps()
                    : "")
                + String.format(Locale.ROOT, "; load average %.2f; ", LoadAverage.oneMinute())
                + run.instance.threads().describe()
                + " ...");
        training =
            TrainingBench.run(
                run, options.warmup(), options.steps(), options.memorySteps(), out, terminal);
        out.println("matmul peak: again, best of 5 ...");
        peak = peak.and(MatmulPeak.measure(run.instance.manager(), options.matmulSize(), 5));
        halfPeak = halfPeak(run.instance.manager(), options.matmulSize());
        if (options.contend() > 0) {
          contended =
              ContentionBench.run(
                  run,
                  options.contend(),
                  options.contendedWarmup(),
                  options.steps(),
                  training.stepSeconds(),
                  out,
                  terminal);
          // the competitors are gone: back to the idle machine's threads for the rest
          EngineThreads.set(run.instance.threads().threads());
          out.println("contention stopped; " + run.instance.threads().describe());
        }
        int prompt = Math.min(run.components.connector().tokens() + 32, run.train.sequenceLength());
        out.println("generation: " + options.newTokens() + " new tokens, cached and uncached ...");
        generation =
            GenerationBench.run(
                run.components.decoder(),
                run.instance.manager(),
                1,
                prompt,
                options.newTokens(),
                BATCH1_WARMUPS,
                BATCH1_REPEATS,
                run.settings.seed());
        // the batch mm1 eval generates with: where the cache's saving is what users see
        int evalBatch =
            run.config.config().hasPath("mm1.eval.batch-size")
                ? run.config.config().getInt("mm1.eval.batch-size")
                : 16;
        out.println("generation: batch " + evalBatch + " (mm1.eval.batch-size) ...");
        evalGeneration =
            GenerationBench.run(
                run.components.decoder(),
                run.instance.manager(),
                evalBatch,
                prompt,
                options.newTokens(),
                0,
                1,
                run.settings.seed());
        out.println("data pipeline: alone, at least " + options.pipelineSeconds() + " s ...");
        pipeline =
            PipelineBench.run(
                run.pipelineConfig(),
                PipelineState.start(run.components.mixer().saveState()),
                options.pipelineSeconds(),
                options.quick() ? 3 : 20);
      }
      TrainingBench.Result baselineTraining = null;
      String baselineName = null;
      if (baseline != null) {
        out.println("baseline " + baseline + ": " + options.steps() + " timed steps ...");
        try (BenchRun run = open(baseline, List.of(), options.vocabulary(), scratch)) {
          baselineName = run.settings.name();
          baselineTraining =
              TrainingBench.run(run, options.warmup(), options.steps(), 0, out, terminal);
        }
      }
      BenchReport report =
          new BenchReport(
              new BenchFigures(
                  setup,
                  options.warmup(),
                  peak,
                  halfPeak,
                  training,
                  generation,
                  evalGeneration,
                  pipeline,
                  baselineName,
                  baselineTraining,
                  ResidentMemory.peak(),
                  LoadAverage.oneMinute(),
                  contended,
                  null));
      out.println();
      out.print(report.table());
      if (options.scaling()) {
        ScalingBench.Result scaling =
            new ScalingBench(this, runFile, options, scratch, peak.flopsPerSecond()).run();
        report = report.withScaling(scaling);
        out.println();
        out.print(scaling.table());
        Path plot = options.plot() != null ? options.plot() : Path.of("bench-scaling.png");
        scaling.writePlot(plot);
        out.println("scaling plot: " + plot);
      }
      if (options.json() != null) {
        report.writeJson(options.json());
        out.println("json: " + options.json());
      }
      out.flush();
      return report;
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * The float16 peak, at the float32 side on a GPU and at most {@link #CPU_HALF_SIDE} on a CPU;
   * null when the engine has no float16 product on the device.
   */
  private MatmulPeak.Result halfPeak(NDManager manager, int side) {
    int n = manager.getDevice().isGpu() ? side : Math.min(side, CPU_HALF_SIDE);
    out.println("matmul peak: " + n + "^3 float16, best of 5 ...");
    try {
      return MatmulPeak.measure(manager, n, 5, DataType.FLOAT16);
    } catch (EngineException e) {
      out.println(
          "matmul peak: no float16 product on " + manager.getDevice() + ": " + e.getMessage());
      return null;
    }
  }

  /** Loads and checks a run file. */
  RunConfig load(Path runFile, List<String> overrides) {
    return assembly.load(runFile, overrides);
  }

  /** A progress line. */
  void say(String line) {
    out.println(line);
    out.flush();
  }

  /** Where the sub-measurements of the sweep report progress: nowhere. */
  PrintWriter quiet() {
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(java.io.OutputStream.nullOutputStream(), UTF_8)));
  }

  /**
   * Loads, assembles and allocates a run; with the world tokenizer and a vocabulary size, a padded
   * tokenizer is written to {@code scratch} and the run pointed at it.
   */
  BenchRun open(Path runFile, List<String> overrides, int vocabulary, Path scratch) {
    RunPlan plan = assembly.plan(runFile, overrides);
    if (vocabulary > 0 && plan.data().tokenizer().equals("world")) {
      Path tokenizer = scratch.resolve("tokenizer-" + vocabulary + ".json");
      if (!Files.exists(tokenizer)) {
        BenchTokenizer.write(tokenizer, vocabulary);
      }
      List<String> all = new ArrayList<>(overrides);
      // quoted, so that any path is one HOCON string
      all.add("mm1.data.tokenizer=" + new JsonPrimitive(tokenizer.toString()));
      plan = assembly.plan(runFile, all);
    }
    Components components = assembly.assemble(plan);
    ModelInstance instance = ModelInstance.allocate(plan, components);
    try {
      return new BenchRun(plan, components, instance);
    } catch (RuntimeException e) {
      instance.close();
      throw e;
    }
  }

  private static BenchFigures.Setup setup(Path runFile, BenchRun run, double load) {
    Engine engine = Engine.getInstance();
    return new BenchFigures.Setup(
        run.settings.name(),
        runFile.toString(),
        run.instance.manager().getDevice().toString(),
        engine.getEngineName() + " " + engine.getVersion(),
        Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"),
        run.instance.threads().describe(),
        System.getenv("GLIBC_TUNABLES"),
        run.components.decoder().vocabularySize(),
        run.train.batchSize(),
        run.train.sequenceLength(),
        run.train.precision().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        run.components.connector().tokens(),
        run.components.encoder().imageSize(),
        run.parameters,
        run.flops,
        load);
  }

  private static Path scratchFolder() {
    try {
      return Files.createTempDirectory("mm1-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyResource(String name, Path target) {
    try (InputStream in = Benchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
