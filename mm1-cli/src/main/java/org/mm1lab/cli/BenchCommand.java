package org.mm1lab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.bench.BenchOptions;
import org.mm1lab.core.bench.Benchmark;
import org.mm1lab.core.io.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 bench [RUN.conf]}: throughput, utilisation and memory of a run on this machine. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training and generation speed and memory, in one process on one engine.",
      "Measures the matmul peak, the training step (time, tokens/s, model FLOPs, MFU,"
          + " data/forward/backward/optimizer split), generation with and without the key/value"
          + " cache, the data pipeline's throughput against what the trainer consumes, and"
          + " resident memory after N and 10N steps. Prints a table; --json writes the figures"
          + " (top-level mfu). Nothing is written to a run folder. Timings are only as quiet as"
          + " the machine: the load average is printed with them, and the engine's compute"
          + " threads (mm1.threads, MM1_THREADS) with what chose them."
    })
final class BenchCommand implements Runnable {

  /**
   * The largest matmul side: three float32 matrices of 32768^2 take 12 GiB, more than most GPUs
   * spare beside a model, and a CPU would take minutes a product.
   */
  static final int MAX_MATMUL_SIDE = 32768;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN.conf",
      description =
          "The run to measure, e.g. examples/bench/small.conf (--quick alone: a built-in tiny run).")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description = "Override one setting (repeatable; later wins).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--quick",
      description = "Tiny sizes and few steps: checks every figure is produced.")
  boolean quick;

  @Option(
      names = "--scaling",
      description = "Also sweep batch size, sequence length, image size and image tokens.")
  boolean scaling;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
  Path json;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "Where --scaling writes its plot (default bench-scaling.png).")
  Path plot;

  @Option(
      names = "--baseline",
      paramLabel = "RUN.conf",
      description = "Also time this run's step and compare (an MoE run against its dense model).")
  Path baseline;

  @Option(names = "--steps", paramLabel = "N", description = "Timed training steps (default 10).")
  Integer steps;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "Untimed steps first (default 20: a run's first steps compile code and kernels).")
  Integer warmup;

  @Option(
      names = "--memory-steps",
      paramLabel = "N",
      description = "Read resident memory after N and 10N steps (default 100; 0 skips).")
  Integer memorySteps;

  @Option(
      names = "--vocab",
      paramLabel = "N",
      description =
          "With the world tokenizer, pad its vocabulary to N ids (default 8192; 0 keeps it).")
  Integer vocabulary;

  @Option(
      names = "--new-tokens",
      paramLabel = "N",
      description = "Tokens generated in the generation figures (default 64).")
  Integer newTokens;

  @Option(
      names = "--matmul-size",
      paramLabel = "N",
      description =
          "Side of the square matrices of the matmul peak (default 2048; a GPU needs about 8192 to"
              + " reach its peak). The float16 peak uses the same side on a GPU, at most 512 on a"
              + " CPU.")
  Integer matmulSize;

  @Option(
      names = "--contend",
      paramLabel = "N",
      description =
          "Also time the training step beside N competing CPU-bound processes that the bench"
              + " starts and stops itself, and compare it with the idle step (default 0: not"
              + " measured).")
  Integer contend;

  @Override
  public void run() {
    // Checked before the benchmark runs: a bad value found after minutes of work wastes them.
    atLeast("--steps", steps, 1);
    atLeast("--warmup", warmup, 0);
    atLeast("--memory-steps", memorySteps, 0);
    atLeast("--vocab", vocabulary, 0);
    atLeast("--new-tokens", newTokens, 1);
    atLeast("--contend", contend, 0);
    atLeast("--matmul-size", matmulSize, 16);
    atMost("--matmul-size", matmulSize, MAX_MATMUL_SIDE);
    writable("--json", json);
    writable("--plot", plot);
    BenchOptions options = BenchOptions.defaults(file, overrides, quick, scaling, json, plot);
    options =
        options.withSteps(
            warmup != null ? warmup : options.warmup(),
            steps != null ? steps : options.steps(),
            memorySteps != null ? memorySteps : options.memorySteps());
    options =
        options.withVocabulary(
            vocabulary != null ? vocabulary : options.vocabulary(),
            newTokens != null ? newTokens : options.newTokens());
    if (contend != null) {
      options = options.withContention(contend);
    }
    if (matmulSize != null) {
      options = options.withMatmulSize(matmulSize);
    }
    Assembly assembly =
        file != null
            ? Plugins.assembly(spec, file, overrides)
            : new Assembly(BenchCommand.class.getClassLoader());
    new Benchmark(assembly, spec.commandLine().getOut(), Progress.stdoutIsTerminal())
        .run(options, baseline);
  }

  private static void atMost(String option, Integer value, int most) {
    if (value != null && value > most) {
      throw new UserException(option + " " + value + ": give a whole number of at most " + most);
    }
  }

  private static void atLeast(String option, Integer value, int least) {
    if (value != null && value < least) {
      throw new UserException(option + " " + value + ": give a whole number of at least " + least);
    }
  }

  /** A file the benchmark will write: its folder (made if missing) must be writable. */
  static void writable(String option, Path file) {
    if (file == null) {
      return;
    }
    Path target = file.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw new UserException(option + " " + file + ": is a folder; give a file name");
    }
    if (Files.exists(target) && (!Files.isRegularFile(target) || !Files.isWritable(target))) {
      throw new UserException(option + " " + file + ": cannot be written");
    }
    Path ancestor = target.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null || !Files.isDirectory(ancestor)) {
      throw new UserException(
          option + " " + file + ": cannot be written (" + ancestor + " is not a folder)");
    }
    if (!Files.isWritable(ancestor)) {
      throw new UserException(
          option + " " + file + ": cannot be written (no permission in " + ancestor + ")");
    }
  }
}
