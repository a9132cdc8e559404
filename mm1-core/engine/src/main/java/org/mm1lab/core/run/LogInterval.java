package org.mm1lab.core.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mm1lab.core.layout.RunLayout.Metric;
import org.mm1lab.core.train.TrainingStep;

/**
 * The steps since the last line of {@code metrics.jsonl}, folded into that line: the loss, the
 * gradient norm, the auxiliary losses and the step times are means over the interval, the
 * throughput is its tokens over its seconds. One step's loss is noise; the mean over every step a
 * line stands for is what the curve should show, and it uses every step rather than one in {@code
 * log-every}. The last step's loss is kept beside it ({@link Metric#LOSS_LAST}), and the largest
 * gradient norm ({@link Metric#GRAD_NORM_MAX}), since a spike is what a mean hides. In mixed
 * precision the line also holds the last step's loss scale and how many of its steps were skipped
 * for overflow, whose gradient norms the norm's mean and maximum leave out.
 */
final class LogInterval {

  private int steps;
  private int skipped;
  private double lossSum;
  private double gradNormSum;
  private double gradNormMax;
  private long tokens;
  private double seconds;
  private double dataSeconds;
  private final Map<String, Double> auxSums = new LinkedHashMap<>();
  private TrainingStep.Result last;

  /** Adds one finished step. */
  void add(TrainingStep.Result result, long stepTokens, double stepSeconds, double waitSeconds) {
    steps++;
    lossSum += result.loss();
    if (result.skipped()) {
      // an overflowed step's norm is infinite or NaN and stands for no update: left out
      skipped++;
    } else {
      int applied = steps - skipped;
      gradNormSum += result.gradientNorm();
      gradNormMax =
          applied == 1 ? result.gradientNorm() : Math.max(gradNormMax, result.gradientNorm());
    }
    tokens += stepTokens;
    seconds += stepSeconds;
    dataSeconds += waitSeconds;
    result
        .auxiliaryLosses()
        .forEach((name, value) -> auxSums.merge(name, (double) value, Double::sum));
    last = result;
  }

  /** The number of steps added since the last {@link #record}. */
  int steps() {
    return steps;
  }

  /**
   * The metrics line for the interval, ending at {@code step}; starts the next interval.
   *
   * @param step the steps completed
   * @param learningRate the learning rate of the last step
   * @param elapsedSeconds wall-clock seconds since training started
   * @throws IllegalStateException when no step was added
   */
  JsonObject record(int step, double learningRate, double elapsedSeconds) {
    if (steps == 0) {
      throw new IllegalStateException("no step to log at step " + step);
    }
    JsonObject line = new JsonObject();
    line.addProperty(Metric.STEP, step);
    line.addProperty(Metric.LOSS, lossSum / steps);
    line.addProperty(Metric.LOSS_LAST, last.loss());
    line.addProperty(Metric.INTERVAL_STEPS, steps);
    line.addProperty(Metric.LR, learningRate);
    if (steps > skipped) {
      line.addProperty(Metric.GRAD_NORM, gradNormSum / (steps - skipped));
      line.addProperty(Metric.GRAD_NORM_MAX, gradNormMax);
    }
    line.addProperty(Metric.TOKENS_PER_S, Math.round(tokens / Math.max(seconds, 1e-9) * 10) / 10.0);
    line.addProperty(Metric.STEP_S, Math.round(seconds / steps * 1e4) / 1e4);
    line.addProperty(Metric.DATA_WAIT_S, Math.round(dataSeconds / steps * 1e4) / 1e4);
    line.addProperty(Metric.ELAPSED_S, Math.round(elapsedSeconds * 100) / 100.0);
    if (!auxSums.isEmpty()) {
      JsonObject aux = new JsonObject();
      int n = steps;
      auxSums.forEach((name, sum) -> aux.addProperty(name, sum / n));
      line.add(Metric.AUX, aux);
    }
    if (!Double.isNaN(last.lossScale())) {
      line.addProperty(Metric.LOSS_SCALE, last.lossScale());
      line.addProperty(Metric.SKIPPED_STEPS, skipped);
    }
    // Statistics such as the experts' load are a snapshot of the last step, as before.
    for (Map.Entry<String, float[]> statistic : last.statistics().entrySet()) {
      JsonArray values = new JsonArray();
      for (float v : statistic.getValue()) {
        values.add(Math.round(v * 1e5) / 1e5);
      }
      line.add(statistic.getKey(), values);
    }
    steps = 0;
    skipped = 0;
    lossSum = 0;
    gradNormSum = 0;
    gradNormMax = 0;
    tokens = 0;
    seconds = 0;
    dataSeconds = 0;
    auxSums.clear();
    last = null;
    return line;
  }
}
