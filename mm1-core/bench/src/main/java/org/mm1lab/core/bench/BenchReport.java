package org.mm1lab.core.bench;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one {@code mm1 bench} run: its {@link BenchFigures figures}, the {@link
 * BenchTargets targets} they meet or miss, and their renderings, as a table for people ({@link
 * BenchText}) and JSON for tools ({@link BenchJson}).
 */
public final class BenchReport {

  private final BenchFigures figures;

  BenchReport(BenchFigures figures) {
    this.figures = figures;
  }

  /** This report with the scaling sweep added. */
  BenchReport withScaling(ScalingBench.Result result) {
    return new BenchReport(figures.withScaling(result));
  }

  /** Model FLOP utilisation of the training step: model FLOP/s over the measured matmul peak. */
  public double mfu() {
    return figures.mfu();
  }

  /** Resident memory growth from {@code N} to {@code 10 N} steps, NaN when not measured. */
  public double memoryGrowth() {
    return figures.memoryGrowth();
  }

  /** How many times faster the pipeline prepares batches than the trainer consumes them. */
  public double pipelineHeadroom() {
    return figures.pipelineHeadroom();
  }

  /** The targets, each met or missed by this run's figures. */
  public List<BenchTargets.Target> targets() {
    return BenchTargets.check(figures);
  }

  /** The table, every figure on its own line, targets last. */
  public String table() {
    return BenchText.table(figures, targets());
  }

  /** The figures as JSON, {@code mfu} (a fraction) at the top level. */
  public JsonObject json() {
    return BenchJson.of(figures, targets());
  }

  /** Writes {@link #json()}. */
  public void writeJson(Path file) {
    BenchJson.write(json(), file);
  }
}
