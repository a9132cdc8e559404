package org.mm1lab.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.core.UserException;
import org.mm1lab.toolkit.options.ConfigOptions;

/**
 * How a run trains ({@code mm1.train}): its length and batch shape, the optimiser and schedule,
 * which components learn when, how often it logs and checkpoints, and in which precision. Read and
 * validated once, on construction; defaults are in mm1-core's {@code reference.conf}.
 */
public final class TrainSettings {

  /** The components that {@code freeze} may name. */
  public static final Set<String> COMPONENTS = Set.of("encoder", "connector", "decoder");

  private final int steps;
  private final int batchSize;
  private final int sequenceLength;
  private final double learningRate;
  private final int warmupSteps;
  private final double minLearningRateRatio;
  private final double weightDecay;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double gradientClip;
  private final int accumulate;
  private final List<String> frozen;
  private final Map<String, Double> rateScales;
  private final int connectorOnlySteps;
  private final int checkpointEvery;
  private final int keepCheckpoints;
  private final int logEvery;
  private final boolean tensorBoard;
  private final TrainingPrecision precision;
  private final LossScaling lossScaling;

  /**
   * Reads {@code mm1.train}.
   *
   * @throws UserException naming the first bad value's path, file and line, and what to change
   */
  public TrainSettings(RunConfig config) {
    ConfigOptions train = new ConfigOptions("mm1.train", config.config().getConfig("mm1.train"));
    try {
      steps = train.getInt("steps", 1, Integer.MAX_VALUE);
      batchSize = train.getInt("batch-size", 1, 1 << 16);
      sequenceLength = train.getInt("seq-len", 2, 1 << 20);
      learningRate = train.getDouble("lr");
      if (!(learningRate > 0) || learningRate >= 1) {
        throw train.invalid("lr", "must be in (0, 1), got " + learningRate);
      }
      // Warm-up longer than the run is allowed: a short trial run just never reaches the peak.
      warmupSteps = train.getInt("warmup", 0, Integer.MAX_VALUE);
      minLearningRateRatio = fraction(train, "min-lr-ratio");
      weightDecay = train.getDouble("weight-decay");
      if (!(weightDecay >= 0) || weightDecay >= 1) {
        throw train.invalid("weight-decay", "must be in [0, 1), got " + weightDecay);
      }
      List<Double> betas = train.getDoubleList("betas");
      if (betas.size() != 2 || betas.stream().anyMatch(b -> !(b >= 0 && b < 1))) {
        throw train.invalid(
            "betas", "must be two numbers in [0, 1), e.g. [0.9, 0.95], got " + betas);
      }
      beta1 = betas.get(0);
      beta2 = betas.get(1);
      epsilon = train.getDouble("epsilon");
      if (!(epsilon > 0)) {
        throw train.invalid("epsilon", "must be positive, got " + epsilon);
      }
      gradientClip = train.getDouble("grad-clip");
      if (!(gradientClip >= 0)) {
        throw train.invalid(
            "grad-clip", "must be 0 (no clipping) or positive, got " + gradientClip);
      }
      accumulate = train.getInt("accumulate", 1, 1 << 12);
      frozen = train.getStringList("freeze");
      for (String name : frozen) {
        if (!COMPONENTS.contains(name)) {
          throw train.invalid(
              "freeze", "'" + name + "' is no component; name any of encoder, connector, decoder");
        }
      }
      if (frozen.containsAll(COMPONENTS)) {
        throw train.invalid("freeze", "every component is frozen, so nothing would train");
      }
      Map<String, Double> scales = new LinkedHashMap<>();
      for (String component : List.of("encoder", "connector", "decoder")) {
        String key = "lr-scale." + component;
        double scale = train.getDouble(key);
        if (!(scale > 0) || scale > 100) {
          throw train.invalid(
              key, "must be in (0, 100] (freeze a component with mm1.train.freeze), got " + scale);
        }
        scales.put(component, scale);
      }
      rateScales = Collections.unmodifiableMap(scales);
      connectorOnlySteps = train.getInt("connector-only-steps", 0, Integer.MAX_VALUE);
      if (connectorOnlySteps > 0 && frozen.contains("connector")) {
        throw train.invalid(
            "connector-only-steps",
            "the connector is frozen (mm1.train.freeze), so connector-only steps would train nothing");
      }
      checkpointEvery = train.getInt("checkpoint-every", 1, Integer.MAX_VALUE);
      keepCheckpoints = train.getInt("keep-checkpoints", 1, 1000);
      logEvery = train.getInt("log-every", 1, Integer.MAX_VALUE);
      tensorBoard = train.getBoolean("tensorboard");
      precision = train.getEnum(TrainingPrecision.class, "precision");
      lossScaling = lossScaling(train);
    } catch (InvalidOptionException e) {
      throw new UserException(ConfigErrors.describe(train, e), e);
    }
  }

  private static LossScaling lossScaling(ConfigOptions train) {
    double initial = train.getDouble("loss-scale.initial");
    // float32 holds the scaled loss: the scale must be a positive float32 number
    if (!(initial > 0) || initial > Float.MAX_VALUE) {
      throw train.invalid(
          "loss-scale.initial", "must be a positive number (65536 is usual), got " + initial);
    }
    double growth = train.getDouble("loss-scale.growth-factor");
    if (!(growth > 1) || Double.isInfinite(growth)) {
      throw train.invalid(
          "loss-scale.growth-factor", "must be a number above 1 (2 is usual), got " + growth);
    }
    double backoff = train.getDouble("loss-scale.backoff-factor");
    if (!(backoff > 0 && backoff < 1)) {
      throw train.invalid(
          "loss-scale.backoff-factor", "must be in (0, 1) (0.5 is usual), got " + backoff);
    }
    int interval = train.getInt("loss-scale.growth-interval", 1, Integer.MAX_VALUE);
    return new LossScaling(initial, growth, backoff, interval);
  }

  private static double fraction(ConfigOptions options, String key) {
    double value = options.getDouble(key);
    if (!(value >= 0 && value <= 1)) {
      throw options.invalid(key, "must be between 0 and 1, got " + value);
    }
    return value;
  }

  /** Optimiser steps to train. */
  public int steps() {
    return steps;
  }

  /** Examples per micro-batch (per forward pass). */
  public int batchSize() {
    return batchSize;
  }

  /** Tokens per training sequence, image slots included. */
  public int sequenceLength() {
    return sequenceLength;
  }

  /** Peak learning rate. */
  public double learningRate() {
    return learningRate;
  }

  /** Linear warm-up steps before cosine decay. */
  public int warmupSteps() {
    return warmupSteps;
  }

  /** The learning rate at the last step, as a fraction of the peak. */
  public double minLearningRateRatio() {
    return minLearningRateRatio;
  }

  /** AdamW's decoupled weight decay (applied to matrices, not to norms and biases). */
  public double weightDecay() {
    return weightDecay;
  }

  /** AdamW's first-moment decay. */
  public double beta1() {
    return beta1;
  }

  /** AdamW's second-moment decay. */
  public double beta2() {
    return beta2;
  }

  /** AdamW's denominator guard. */
  public double epsilon() {
    return epsilon;
  }

  /** The global gradient norm gradients are clipped to; 0 disables clipping. */
  public double gradientClip() {
    return gradientClip;
  }

  /** Micro-batches whose gradients are summed into one optimiser step. */
  public int accumulate() {
    return accumulate;
  }

  /** Components held fixed for the whole run. */
  public List<String> frozen() {
    return frozen;
  }

  /**
   * The learning-rate multiplier of each component ({@code lr-scale}): {@code encoder}, {@code
   * connector}, {@code decoder}.
   */
  public Map<String, Double> rateScales() {
    return rateScales;
  }

  /**
   * The learning-rate multiplier of a parameter of the assembled model, by its name (the model's
   * child blocks are named {@code 01encoder}, {@code 02connector}, {@code 03decoder}, and a
   * parameter's name starts with its block's).
   */
  public double rateScaleOf(String parameterName) {
    String unnumbered = parameterName.replaceFirst("^[0-9]+", "");
    for (Map.Entry<String, Double> entry : rateScales.entrySet()) {
      if (unnumbered.startsWith(entry.getKey() + "_")) {
        return entry.getValue();
      }
    }
    return 1.0;
  }

  /** The first steps, in which only the connector learns (LLaVA's stage 1). */
  public int connectorOnlySteps() {
    return connectorOnlySteps;
  }

  /** Steps between checkpoints (the last step and an interrupt always checkpoint). */
  public int checkpointEvery() {
    return checkpointEvery;
  }

  /** How many of the newest checkpoints are kept. */
  public int keepCheckpoints() {
    return keepCheckpoints;
  }

  /** Steps between metrics lines. */
  public int logEvery() {
    return logEvery;
  }

  /**
   * Whether training, encoder pretraining and evaluation also write their scalars as TensorBoard
   * event files, in the run folder's {@code tensorboard/}.
   */
  public boolean tensorBoard() {
    return tensorBoard;
  }

  /** The arithmetic training runs in: float32, or float16 with float32 master weights. */
  public TrainingPrecision precision() {
    return precision;
  }

  /** Whether training runs in {@link TrainingPrecision#FP16_MIXED}. */
  public boolean mixedPrecision() {
    return precision == TrainingPrecision.FP16_MIXED;
  }

  /** The dynamic loss scaling of mixed-precision training ({@code loss-scale}). */
  public LossScaling lossScaling() {
    return lossScaling;
  }

  /**
   * Dynamic loss scaling ({@code mm1.train.loss-scale}), the policy of PyTorch's {@code
   * GradScaler}: the loss is multiplied by the scale before the backward pass; a step whose
   * gradients overflow float16 is skipped and the scale multiplied by {@code backoffFactor}; after
   * {@code growthInterval} steps in a row without overflow it is multiplied by {@code
   * growthFactor}.
   *
   * @param initialScale the scale of the first step
   * @param growthFactor above 1
   * @param backoffFactor in (0, 1)
   * @param growthInterval good steps in a row before the scale grows
   */
  public record LossScaling(
      double initialScale, double growthFactor, double backoffFactor, int growthInterval) {}
}
