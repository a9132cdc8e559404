package org.mm1lab.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.run.ThreadPolicy;
import org.mm1lab.core.train.TrainingStep.Phase;

/**
 * The report of fixed figures renders exactly as the expected files say, byte for byte: the table,
 * the JSON of {@code --json} and the scaling table. The expected files were written by the report
 * code before it was split into figures, targets and rendering, so they pin the output users and
 * tools read.
 */
class BenchReportTest {

  @TempDir Path dir;

  /** A run as set up on a 2-core machine, OMP and allocator settings known. */
  static BenchFigures.Setup fullSetup() {
    Map<String, Long> parameters = new LinkedHashMap<>();
    parameters.put("encoder", 21_300_417L);
    parameters.put("connector", 3_456_789L);
    parameters.put("decoder", 40_123_456L);
    return new BenchFigures.Setup(
        "small",
        "examples/bench/small.conf",
        "cpu()",
        "PyTorch 2.7.1",
        2,
        "2",
        "2 compute threads (OMP_NUM_THREADS=2)",
        "glibc.malloc.arena_max=1",
        8192,
        8,
        256,
        "fp32",
        64,
        224,
        parameters,
        new ModelFlops(1.2345e7, 2.5e6, 3.31e9, 4.4e8, "connector attention-pool"),
        1.234);
  }

  /** A run as set up where nothing is known of the threads or allocator. */
  static BenchFigures.Setup minimalSetup() {
    Map<String, Long> parameters = new LinkedHashMap<>();
    parameters.put("encoder", 360_400L);
    parameters.put("connector", 84_300L);
    parameters.put("decoder", 634_200L);
    return new BenchFigures.Setup(
        "quick",
        "/tmp/mm1-bench123/quick.conf",
        "cpu()",
        "PyTorch 2.7.1",
        16,
        null,
        "4 compute threads (mm1.threads = 4)",
        null,
        512,
        2,
        48,
        "fp16-mixed",
        4,
        32,
        parameters,
        new ModelFlops(2.0e5, 1.0e4, 1.5e7, 2.0e5, ""),
        0.0);
  }

  /** Every optional figure present: memory, baseline, scaling, two peak rounds, approximations. */
  static BenchReport full() {
    BenchFigures.Setup setup = fullSetup();
    MatmulPeak.Result peak =
        new MatmulPeak.Result(2048, 3.0e11, 0.05726, 5, List.of(2.9951e11))
            .and(new MatmulPeak.Result(2048, 3.271e11, 0.05252, 5, List.of(3.271e11)));
    TrainingBench.Result training =
        training(
            10,
            1.32215,
            1.3259,
            100,
            new ResidentMemory.Reading(2_971_123_456L, 352_321_536L),
            new ResidentMemory.Reading(3_025_987_654L, 352_321_536L),
            2);
    GenerationBench.Result generation =
        new GenerationBench.Result(1, 96, 64, 5, 0.41234, 3.10987, true, 0.0507, 2, 1, 0.43211);
    GenerationBench.Result evalGeneration =
        new GenerationBench.Result(16, 96, 64, 1, 1.9076, 8.7123, false, 0.2101, 2, 2, Double.NaN);
    PipelineBench.Result pipeline = new PipelineBench.Result(40, 640, 59_000, 2.8734, 2);
    TrainingBench.Result baseline = training(10, 0.98765, 0.9801, 0, null, null, 0);
    ContentionBench.Result contended =
        new ContentionBench.Result(
            1,
            2.43,
            new ThreadPolicy.Choice(1, "mm1.threads = auto: 1.0 of 2 cores busy with other work"),
            slower(training, 2.2037, 2.19));
    return new BenchReport(
            new BenchFigures(
                setup,
                20,
                peak,
                new MatmulPeak.Result(2048, 2.1e10, 0.8181, 5, List.of(2.1e10)),
                training,
                generation,
                evalGeneration,
                pipeline,
                "small-dense",
                baseline,
                3_312_345_678L,
                2.051,
                contended,
                null))
        .withScaling(scaling());
  }

  /** A sweep of two points along one dimension and none along another. */
  static ScalingBench.Result scaling() {
    Map<String, List<ScalingBench.Row>> rows = new LinkedHashMap<>();
    rows.put(
        "batch-size",
        List.of(
            new ScalingBench.Row(4, training(3, 0.7011, 0.7, 0, null, null, 0), 2_100_000_000L),
            new ScalingBench.Row(8, training(3, 1.3305, 1.33, 0, null, null, 0), 2_200_000_000L)));
    rows.put("seq-len", List.of());
    return new ScalingBench.Result(rows, 3.271e11);
  }

  /** The fewest figures: no memory readings, no baseline, no scaling, nothing known of the host. */
  static BenchReport minimal() {
    BenchFigures.Setup setup = minimalSetup();
    MatmulPeak.Result peak = new MatmulPeak.Result(256, 2.5e11, 0.000134, 5, List.of(2.5e11));
    TrainingBench.Result training = training(2, 0.0123, 0.0121, 0, null, null, 0);
    GenerationBench.Result generation =
        new GenerationBench.Result(1, 36, 8, 5, 0.02, 0.09, true, 0.004, 1, 1, Double.NaN);
    GenerationBench.Result evalGeneration =
        new GenerationBench.Result(16, 36, 8, 1, 0.05, 0.11, true, 0.01, 1, 1, Double.NaN);
    PipelineBench.Result pipeline = new PipelineBench.Result(3, 5, 120, 0.0061, 1);
    return new BenchReport(
        new BenchFigures(
            setup,
            1,
            peak,
            null,
            training,
            generation,
            evalGeneration,
            pipeline,
            null,
            null,
            -1,
            0.5,
            null,
            null));
  }

  /** The same steps' work taking longer, as beside a competing process. */
  private static TrainingBench.Result slower(
      TrainingBench.Result idle, double stepSeconds, double median) {
    TrainingBench.Result times = training(idle.steps(), stepSeconds, median, 0, null, null, 0);
    return new TrainingBench.Result(
        idle.steps(),
        stepSeconds,
        median,
        idle.positions(),
        idle.realTokens(),
        idle.targets(),
        idle.imageTokens(),
        idle.images(),
        idle.flops(),
        times.dataWaitSeconds(),
        times.phases(),
        0,
        null,
        null,
        0);
  }

  /** Timed steps with figures derived from the step time, so that each fixture differs. */
  private static TrainingBench.Result training(
      int steps,
      double stepSeconds,
      double median,
      int memorySteps,
      ResidentMemory.Reading atN,
      ResidentMemory.Reading at10N,
      int nonFinite) {
    Map<Phase, Double> phases = new EnumMap<>(Phase.class);
    phases.put(Phase.TRANSFER, 0.000312 * stepSeconds);
    phases.put(Phase.FORWARD, 0.3534 * stepSeconds);
    phases.put(Phase.BACKWARD, 0.5741 * stepSeconds);
    phases.put(Phase.OPTIMIZER, 0.0571 * stepSeconds);
    return new TrainingBench.Result(
        steps,
        stepSeconds,
        median,
        2048 * stepSeconds,
        1487.25 * stepSeconds,
        286.5 * stepSeconds,
        1024 * stepSeconds,
        16 * stepSeconds,
        2.2993e11 * stepSeconds,
        0.0051 * stepSeconds,
        phases,
        memorySteps,
        atN,
        at10N,
        nonFinite);
  }

  @Test
  void theTableOfEveryFigureIsUnchanged() throws IOException {
    assertEquals(expected("full-table.txt"), full().table());
  }

  @Test
  void theTableOfTheFewestFiguresIsUnchanged() throws IOException {
    assertEquals(expected("minimal-table.txt"), minimal().table());
  }

  @Test
  void theJsonOfEveryFigureIsUnchanged() throws IOException {
    Path json = dir.resolve("sub/full.json");
    full().writeJson(json);
    assertEquals(expected("full.json"), Files.readString(json, StandardCharsets.UTF_8));
  }

  @Test
  void theJsonOfTheFewestFiguresIsUnchanged() throws IOException {
    Path json = dir.resolve("minimal.json");
    minimal().writeJson(json);
    assertEquals(expected("minimal.json"), Files.readString(json, StandardCharsets.UTF_8));
  }

  @Test
  void theScalingTableIsUnchanged() throws IOException {
    assertEquals(expected("scaling-table.txt"), scaling().table());
  }

  @Test
  void theHeaderLineIsUnchanged() {
    assertEquals(
        "mm1 bench: small on cpu() (PyTorch 2.7.1), 2 processors, load average 1.23; 64.88M"
            + " parameters, vocabulary 8192",
        BenchText.header(fullSetup()));
    assertEquals(
        "mm1 bench: quick on cpu() (PyTorch 2.7.1), 16 processors, load average 0.00; 1.08M"
            + " parameters, vocabulary 512",
        BenchText.header(minimalSetup()));
  }

  @Test
  void eachTargetIsMetMissedOrNotMeasured() {
    Map<String, Boolean> full = new LinkedHashMap<>();
    full().targets().forEach(t -> full.put(t.name(), t.met()));
    Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put("mfu", true);
    expected.put("memory-flat", true);
    expected.put("pipeline-headroom", true);
    expected.put("cache-speedup", true);
    expected.put("cache-speedup-eval-batch", false);
    expected.put("contended-speed", true);
    expected.put("baseline-ratio", true);
    assertEquals(expected, full);

    Map<String, Boolean> minimal = new LinkedHashMap<>();
    minimal().targets().forEach(t -> minimal.put(t.name(), t.met()));
    expected.remove("baseline-ratio");
    expected.remove("contended-speed");
    expected.put("memory-flat", null);
    expected.put("cache-speedup", false);
    assertEquals(expected, minimal, "no baseline target without a baseline");
  }

  /**
   * An expected text, with the platform's line separator where the renderings end their lines
   * ({@code %n}); the files hold {@code \n}.
   */
  private static String expected(String name) throws IOException {
    try (InputStream in = BenchReportTest.class.getResourceAsStream(name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return name.endsWith(".txt") ? text.replace("\n", System.lineSeparator()) : text;
    }
  }
}
