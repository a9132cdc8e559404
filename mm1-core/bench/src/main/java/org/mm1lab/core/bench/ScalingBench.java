package org.mm1lab.core.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.mm1lab.api.Family;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.report.LinePlot;
import org.mm1lab.core.train.TrainingStep.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training figures as the work grows along one size at a time: batch size, sequence length,
 * image size (224, 336, 378 px for a 224 px run, the MM1 paper's resolutions) and image tokens (a
 * quarter, one and 2.25 times the run's). Each point is the run with one {@code --set} changed,
 * trained for a few timed steps. Against each dimension's smallest point, a step's time should grow
 * like its model FLOPs; where the time ratio runs ahead of the work ratio, cost grows faster than
 * the work (attention's {@code L^2}, memory-bound operations, or a pipeline that cannot keep up),
 * which the table and the plot show.
 *
 * <p>Output: a progress line per point through {@link Benchmark#say}; a point the run cannot take
 * is skipped with a warning on this class's SLF4J logger.
 */
final class ScalingBench {

  private static final Logger LOG = LoggerFactory.getLogger(ScalingBench.class);

  private final Benchmark benchmark;
  private final Path runFile;
  private final BenchOptions options;
  private final Path scratch;
  private final double peak;

  ScalingBench(Benchmark benchmark, Path runFile, BenchOptions options, Path scratch, double peak) {
    this.benchmark = benchmark;
    this.runFile = runFile;
    this.options = options;
    this.scratch = scratch;
    this.peak = peak;
  }

  /** Measures every point of every dimension the run has. */
  Result run() {
    RunConfig base = benchmark.load(runFile, options.overrides());
    Config c = base.config();
    Map<String, List<Point>> dimensions = new LinkedHashMap<>();
    int batch = c.getInt("mm1.train.batch-size");
    int length = c.getInt("mm1.train.seq-len");
    dimensions.put(
        "batch-size", points("mm1.train.batch-size", batch / 4, batch / 2, batch, 2 * batch));
    Config encoder = c.getConfig(ComponentSlots.pathOf(Family.ENCODER));
    Config connector = c.getConfig(ComponentSlots.pathOf(Family.CONNECTOR));
    int tokens = connector.hasPath("tokens") ? connector.getInt("tokens") : 0;
    List<Integer> lengths = new ArrayList<>();
    for (int l : new int[] {length / 2, length, 2 * length}) {
      if (l > tokens + 8) {
        lengths.add(l);
      }
    }
    dimensions.put(
        "seq-len", points("mm1.train.seq-len", lengths.stream().mapToInt(i -> i).toArray()));
    if (encoder.hasPath("image-size") && encoder.hasPath("patch-size")) {
      int size = encoder.getInt("image-size");
      int patch = encoder.getInt("patch-size");
      dimensions.put(
          "image-size",
          points(
              ComponentSlots.pathOf(Family.ENCODER) + ".image-size",
              size,
              roundTo(size * 1.5, patch),
              roundTo(size * 27 / 16.0, patch)));
    }
    if (tokens > 0) {
      int side = (int) Math.round(Math.sqrt(tokens));
      if (side * side == tokens) {
        dimensions.put(
            "image-tokens",
            points(
                ComponentSlots.pathOf(Family.CONNECTOR) + ".tokens",
                sq(side / 2),
                tokens,
                sq((int) Math.round(side * 1.5))));
      }
    }
    int warmup = options.quick() ? 0 : 1;
    int steps = options.quick() ? 1 : 3;
    Result result = new Result(new LinkedHashMap<>(), peak);
    for (Map.Entry<String, List<Point>> dimension : dimensions.entrySet()) {
      List<Row> rows = new ArrayList<>();
      for (Point point : dimension.getValue()) {
        List<String> overrides = new ArrayList<>(options.overrides());
        overrides.add(point.path() + "=" + point.value());
        benchmark.say(
            "scaling " + dimension.getKey() + " = " + point.value() + ": " + steps + " steps ...");
        try (BenchRun run = benchmark.open(runFile, overrides, options.vocabulary(), scratch)) {
          TrainingBench.Result r =
              TrainingBench.run(run, warmup, steps, 0, benchmark.quiet(), false);
          rows.add(new Row(point.value(), r, ResidentMemory.current()));
        } catch (org.mm1lab.core.UserException e) {
          // a size this run cannot take (too many tokens for the grid, say) is skipped, and said
          LOG.warn(
              "scaling {} = {} skipped: {}", dimension.getKey(), point.value(), e.getMessage());
        }
      }
      result.rows().put(dimension.getKey(), rows);
    }
    return result;
  }

  private static int sq(int side) {
    return Math.max(1, side) * Math.max(1, side);
  }

  private static int roundTo(double value, int multiple) {
    return Math.max(multiple, (int) Math.round(value / multiple) * multiple);
  }

  private static List<Point> points(String path, int... values) {
    TreeSet<Integer> distinct = new TreeSet<>();
    for (int v : values) {
      if (v >= 1) {
        distinct.add(v);
      }
    }
    List<Point> points = new ArrayList<>();
    for (int v : distinct) {
      points.add(new Point(path, v));
    }
    return points;
  }

  private record Point(String path, int value) {}

  /**
   * One measured point.
   *
   * @param value the dimension's value
   * @param training the timed steps
   * @param rss resident bytes after them
   */
  record Row(int value, TrainingBench.Result training, long rss) {}

  /**
   * The sweep.
   *
   * @param rows per dimension, its points in increasing order
   * @param peak the matmul peak MFU divides by
   */
  record Result(Map<String, List<Row>> rows, double peak) {

    /** A row per point, with time and work relative to the dimension's smallest point. */
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT,
              "%-13s %6s %8s %9s %7s %9s %6s %7s %7s %7s %7s %9s%n",
              "scaling",
              "value",
              "step s",
              "tokens/s",
              "images",
              "GFLOP",
              "MFU%",
              "data%",
              "fwd%",
              "bwd%",
              "opt%",
              "time/work"));
      for (Map.Entry<String, List<Row>> dimension : rows.entrySet()) {
        List<Row> list = dimension.getValue();
        if (list.isEmpty()) {
          continue;
        }
        TrainingBench.Result first = list.get(0).training();
        for (Row row : list) {
          TrainingBench.Result r = row.training();
          double step = r.stepSeconds();
          double timeRatio = step / first.stepSeconds();
          double workRatio = r.flops() / first.flops();
          t.append(
              String.format(
                  Locale.ROOT,
                  "%-13s %6d %8.3f %9.0f %7.1f %9.2f %6.1f %7.1f %7.1f %7.1f %7.1f %9.2f%n",
                  dimension.getKey(),
                  row.value(),
                  step,
                  r.tokensPerSecond(),
                  r.images(),
                  r.flops() / 1e9,
                  100 * r.flopsPerSecond() / peak,
                  100 * r.dataSeconds() / step,
                  100 * r.phases().get(Phase.FORWARD) / step,
                  100 * r.phases().get(Phase.BACKWARD) / step,
                  100 * r.phases().get(Phase.OPTIMIZER) / step,
                  timeRatio / workRatio));
        }
      }
      t.append(
          "time/work: a step's time over its model FLOPs, relative to the dimension's first point;"
              + " above 1 the cost grows faster than the work\n");
      return t.toString();
    }

    /** Step time against model FLOPs, both relative to each dimension's first point. */
    void writePlot(Path file) {
      LinePlot plot =
          new LinePlot(
              "Training step: time against work, as one size grows",
              "model FLOPs per step (x the smallest point)",
              "step time (x the smallest point)");
      double most = 1;
      for (Map.Entry<String, List<Row>> dimension : rows.entrySet()) {
        List<Row> list = dimension.getValue();
        if (list.isEmpty()) {
          continue;
        }
        double[] x = new double[list.size()];
        double[] y = new double[list.size()];
        TrainingBench.Result first = list.get(0).training();
        for (int i = 0; i < list.size(); i++) {
          x[i] = list.get(i).training().flops() / first.flops();
          y[i] = list.get(i).training().stepSeconds() / first.stepSeconds();
          most = Math.max(most, x[i]);
        }
        plot.series(dimension.getKey(), x, y);
      }
      plot.series("proportional", new double[] {1, most}, new double[] {1, most});
      try {
        plot.write(file, 900, 520);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    JsonObject json() {
      JsonObject root = new JsonObject();
      for (Map.Entry<String, List<Row>> dimension : rows.entrySet()) {
        JsonArray points = new JsonArray();
        for (Row row : dimension.getValue()) {
          JsonObject point = BenchJson.training(row.training());
          point.addProperty("value", row.value());
          point.addProperty("mfu", row.training().flopsPerSecond() / peak);
          point.addProperty("rss", row.rss());
          points.add(point);
        }
        root.add(dimension.getKey(), points);
      }
      return root;
    }
  }
}
