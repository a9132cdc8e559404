package org.mm1lab.core.config;

import java.util.List;
import java.util.regex.Pattern;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.core.UserException;

/**
 * The core's own settings of a run (everything under {@code mm1} outside the component sections),
 * read and validated once, on construction. Defaults are in mm1-core's {@code reference.conf}.
 */
public final class RunSettings {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:[0-9]+");

  private final String name;
  private final long seed;
  private final String device;
  private final int steps;
  private final int batchSize;
  private final int sequenceLength;
  private final double learningRate;
  private final int warmupSteps;
  private final List<String> evalTasks;
  private final List<Integer> evalShots;

  /**
   * Reads and checks the settings.
   *
   * @throws UserException naming the first bad value's path, file and line
   */
  public RunSettings(RunConfig config) {
    ConfigOptions mm1 = config.coreOptions();
    try {
      name = mm1.getString("name");
      if (!NAME.matcher(name).matches()) {
        throw mm1.invalid(
            "name", "'" + name + "' is not a usable run name; use letters, digits, '.', '_' or '-'");
      }
      seed = mm1.getLong("seed");
      device = mm1.getString("device");
      if (!DEVICE.matcher(device).matches()) {
        throw mm1.invalid("device", "'" + device + "' is not one of auto, cpu, gpu, gpu:N");
      }
      steps = mm1.getInt("train.steps", 1, Integer.MAX_VALUE);
      batchSize = mm1.getInt("train.batch-size", 1, 1 << 16);
      sequenceLength = mm1.getInt("train.seq-len", 2, 1 << 20);
      learningRate = mm1.getDouble("train.lr");
      if (!(learningRate > 0) || learningRate >= 1) {
        throw mm1.invalid("train.lr", "must be in (0, 1), got " + learningRate);
      }
      // Warm-up longer than the run is allowed: a short trial run just never reaches the peak.
      warmupSteps = mm1.getInt("train.warmup", 0, Integer.MAX_VALUE);
      evalTasks = mm1.getStringList("eval.tasks");
      evalShots = mm1.getIntList("eval.shots");
      for (int shots : evalShots) {
        if (shots < 0) {
          throw mm1.invalid("eval.shots", "shot counts cannot be negative, got " + shots);
        }
      }
    } catch (InvalidOptionException e) {
      throw new UserException(mm1.describe(e), e);
    }
  }

  /** The run's name; its directory defaults to {@code runs/<name>}. */
  public String name() {
    return name;
  }

  /** The seed every random choice derives from. */
  public long seed() {
    return seed;
  }

  /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
  public String device() {
    return device;
  }

  /** Optimiser steps to train. */
  public int steps() {
    return steps;
  }

  /** Examples per step. */
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

  /** Evaluation tasks. */
  public List<String> evalTasks() {
    return evalTasks;
  }

  /** In-context example counts to evaluate at. */
  public List<Integer> evalShots() {
    return evalShots;
  }
}
