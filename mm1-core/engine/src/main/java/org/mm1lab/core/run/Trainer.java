package org.mm1lab.core.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.TrainSettings;
import org.mm1lab.core.io.MetricsWriter;
import org.mm1lab.core.io.Progress;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.pipeline.BatchPipeline;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.core.pipeline.SequenceStats;
import org.mm1lab.core.train.AdamW;
import org.mm1lab.core.train.Checkpoints;
import org.mm1lab.core.train.LearningRateSchedule;
import org.mm1lab.core.train.LossScaler;
import org.mm1lab.core.train.MultimodalModel;
import org.mm1lab.core.train.TrainingStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop of a run: data from the mixed pipeline, one {@link TrainingStep} per step under
 * the warm-up + cosine schedule, components frozen as configured, a metrics line every {@code
 * log-every} steps, a checkpoint every {@code checkpoint-every} steps, at the end, and when a stop
 * is requested (Ctrl-C, SIGTERM). A run folder with checkpoints is resumed from its newest one with
 * the same data position and optimizer state, so it continues with the numbers an uninterrupted run
 * would have had.
 *
 * <p>Output. Progress goes to the {@code out} writer, as the command shows it: the checkpoint
 * training resumes from (or that there is nothing left to do), the step lines or bar of {@link
 * Progress}, and the checkpoint a stop left; they say what the run did, so they are part of the
 * command's output. Diagnostics go to this class's SLF4J logger: which pretrained weights were
 * loaded (info), how many examples were cut or dropped to fit {@code seq-len} (warn), and in mixed
 * precision each step skipped for float16 overflow and how many were (warn).
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Float16's smallest positive (subnormal) value, 2^-24: the loss scale's floor. */
  private static final double SMALLEST_FLOAT16 = 0x1p-24;

  private final ModelInstance instance;
  private final RunPlan plan;
  private final TrainSettings train;
  private final RunDirectory directory;
  private final StopSignal stop;
  private final PrintWriter out;
  private final boolean terminal;
  private final Resume resume;

  /**
   * @param instance the allocated model (freshly initialised; a checkpoint is loaded into it)
   * @param plan the run: how to train, and where the data comes from
   * @param directory the prepared run folder
   * @param stop raised to stop at the next step's end
   * @param out where progress goes
   * @param terminal whether {@code out} is an interactive terminal (a redrawn bar) or not (lines)
   */
  public Trainer(
      ModelInstance instance,
      RunPlan plan,
      RunDirectory directory,
      StopSignal stop,
      PrintWriter out,
      boolean terminal) {
    this(instance, plan, directory, stop, out, terminal, Resume.NEWEST);
  }

  /**
   * @param instance the allocated model (freshly initialised; a checkpoint is loaded into it)
   * @param plan the run: how to train, and where the data comes from
   * @param directory the run folder, locked; written only once the checkpoint to continue from has
   *     loaded
   * @param stop raised to stop at the next step's end
   * @param out where progress goes
   * @param terminal whether {@code out} is an interactive terminal (a redrawn bar) or not (lines)
   * @param resume where training continues
   */
  public Trainer(
      ModelInstance instance,
      RunPlan plan,
      RunDirectory directory,
      StopSignal stop,
      PrintWriter out,
      boolean terminal,
      Resume resume) {
    this.resume = resume;
    this.instance = instance;
    this.plan = plan;
    this.train = plan.train();
    this.directory = directory;
    this.stop = stop;
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * Trains to {@code mm1.train.steps}, or until a stop is requested.
   *
   * @return where training ended
   * @throws UserException for problems with the data, the checkpoints or the numbers (a loss that
   *     is no longer finite), after which the newest checkpoint is still intact
   */
  public Outcome train() {
    MultimodalModel model = instance.model();
    NDManager manager = instance.manager();
    Components components = model.components();
    Checkpoints checkpoints = new Checkpoints(directory.checkpoints(), train.keepCheckpoints());
    try (NDManager optimizerMemory = manager.newSubManager()) {
      AdamW optimizer =
          new AdamW(
              optimizerMemory,
              train.beta1(),
              train.beta2(),
              train.epsilon(),
              train.weightDecay(),
              train::rateScaleOf);
      LossScaler scaler = train.mixedPrecision() ? new LossScaler(train.lossScaling()) : null;
      Path from;
      List<Path> passedOver;
      if (resume.restart()) {
        from = null;
        passedOver = checkpoints.all();
      } else if (resume.fromStep() >= 0) {
        from =
            checkpoints
                .at(resume.fromStep())
                .orElseThrow(() -> noSuchCheckpoint(checkpoints, resume.fromStep()));
        passedOver = newerThan(checkpoints, from);
      } else {
        from = checkpoints.latest().orElse(null);
        passedOver = List.of();
      }
      int start = 0;
      PipelineState position;
      if (from != null) {
        Checkpoints.Restored restored;
        try {
          restored = Checkpoints.load(from, model, optimizer, scaler, manager);
        } catch (UserException e) {
          throw resume.fromStep() >= 0 ? e : unusable(e, from, checkpoints);
        }
        start = restored.step();
        position = restored.data();
      } else {
        instance.loadPretrained().forEach(loaded -> LOG.info("{}", loaded));
        position = PipelineState.start(components.mixer().saveState());
      }
      // Every check has passed: only from here on is the folder written.
      if (!passedOver.isEmpty() || resume.restart()) {
        Path aside = directory.setAside(passedOver, List.of(directory.metricsFile()));
        out.println(
            "set aside "
                + passedOver.size()
                + " checkpoint(s) and a copy of the metrics log in "
                + aside);
      }
      int removed = checkpoints.removeTemporaries();
      if (removed > 0) {
        directory.changed();
        out.println(
            "removed "
                + removed
                + " unfinished checkpoint folder(s) that a stopped training left in "
                + directory.checkpoints());
      }
      directory.prepare(plan.config());
      if (from != null) {
        out.println("resuming from " + from + " (step " + start + ")");
      }
      if (start >= train.steps()) {
        out.println(
            "already trained to step " + start + " of " + train.steps() + "; nothing to do");
        return new Outcome(start, false, from, Float.NaN);
      }
      if (scaler != null) {
        out.println(
            "precision: fp16-mixed (float16 forward and backward, float32 master weights and"
                + " optimizer state), loss scale "
                + formatScale(scaler.scale()));
        if (!manager.getDevice().isGpu()) {
          LOG.warn(
              "fp16-mixed on the CPU: PyTorch's float16 kernels make a training step several"
                  + " times slower than fp32 here; the setting is meant for GPUs");
        }
      }
      return loop(model, optimizer, scaler, checkpoints, start, position);
    }
  }

  /** The checkpoints after {@code from}, which continuing from it passes over. */
  private static List<Path> newerThan(Checkpoints checkpoints, Path from) {
    String name = from.getFileName().toString();
    return checkpoints.all().stream()
        .filter(p -> p.getFileName().toString().compareTo(name) > 0)
        .toList();
  }

  private UserException noSuchCheckpoint(Checkpoints checkpoints, int step) {
    List<String> steps =
        checkpoints.all().stream()
            .map(p -> Integer.toString(RunLayout.Checkpoint.step(p.getFileName().toString())))
            .toList();
    return new UserException(
        "--from-checkpoint "
            + step
            + ": "
            + directory.checkpoints()
            + " has no "
            + RunLayout.Checkpoint.folder(step)
            + (steps.isEmpty() ? " (it holds none)" : " (it holds steps " + steps + ")"));
  }

  /**
   * The refusal of a newest checkpoint that cannot be loaded, saying how to go on without losing
   * it: from the newest intact older one, or from step 0, either of which moves it aside.
   */
  static UserException unusable(UserException problem, Path checkpoint, Checkpoints checkpoints) {
    Optional<Path> intact = checkpoints.newestIntactBefore(checkpoint);
    String advice =
        intact
            .map(
                p ->
                    "continue from the newest intact one with --from-checkpoint "
                        + RunLayout.Checkpoint.step(p.getFileName().toString())
                        + ", or start over with --restart")
            .orElse("no older checkpoint is intact; start over with --restart");
    return new UserException(
        problem.getMessage()
            + "; "
            + advice
            + " (either moves it aside into "
            + RunLayout.SET_ASIDE
            + "/, deleting nothing)",
        problem);
  }

  private Outcome loop(
      MultimodalModel model,
      AdamW optimizer,
      LossScaler scaler,
      Checkpoints checkpoints,
      int start,
      PipelineState position) {
    Components components = model.components();
    SequenceStats sequenceStats = new SequenceStats();
    PipelineConfig pipelineConfig = plan.pipeline(components, sequenceStats);
    TrainingStep stepper =
        new TrainingStep(model, optimizer, instance.manager(), train.gradientClip(), scaler);
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            train.learningRate(), train.warmupSteps(), train.steps(), train.minLearningRateRatio());
    Freezer freezer = new Freezer(model, train);
    Progress progress =
        new Progress(out, terminal, "train", start, train.steps(), train.logEvery());
    long startNanos = System.nanoTime();
    LogInterval interval = new LogInterval();
    Path lastCheckpoint = null;
    float loss = Float.NaN;
    try (BatchPipeline pipeline = new BatchPipeline(pipelineConfig, position);
        MetricsWriter metrics =
            new MetricsWriter(directory.metricsFile(), start, train.tensorBoard())) {
      for (int step = start; step < train.steps(); step++) {
        freezer.apply(step);
        long stepStart = System.nanoTime();
        List<HostBatch> batches = new ArrayList<>(train.accumulate());
        long tokens = 0;
        for (int i = 0; i < train.accumulate(); i++) {
          HostBatch batch = pipeline.next();
          tokens += batch.realTokens();
          batches.add(batch);
        }
        double dataSeconds = (System.nanoTime() - stepStart) / 1e9;
        double learningRate = schedule.at(step);
        TrainingStep.Result result = stepper.run(batches, learningRate);
        double seconds = (System.nanoTime() - stepStart) / 1e9;
        loss = result.loss();
        int done = step + 1;
        if (!Float.isFinite(loss)) {
          progress.finish();
          throw new UserException(
              "the loss is "
                  + loss
                  + " at step "
                  + done
                  + "; lower mm1.train.lr (now "
                  + train.learningRate()
                  + ") or raise mm1.train.warmup"
                  + (scaler == null
                      ? ""
                      : " (in fp16-mixed, an activation may also have left float16's range,"
                          + " largest 65504: train with mm1.train.precision = fp32)")
                  + "; the newest checkpoint in "
                  + directory.checkpoints()
                  + " is intact");
        }
        if (result.skipped()) {
          skipped(done, result, scaler);
        }
        double tokensPerSecond = tokens / seconds;
        interval.add(result, tokens, seconds, dataSeconds);
        if (done % train.logEvery() == 0 || done == train.steps() || done == start + 1) {
          metrics.write(
              interval.record(done, learningRate, (System.nanoTime() - startNanos) / 1e9));
        }
        progress.step(done, loss, learningRate, tokensPerSecond, "tok/s");
        boolean stopping = stop.requested();
        if (done % train.checkpointEvery() == 0 || done == train.steps() || stopping) {
          lastCheckpoint =
              checkpoints.save(
                  done, model, optimizer, scaler, batches.get(batches.size() - 1).stateAfter());
        }
        if (stopping) {
          progress.finish();
          out.println("stopped at step " + done + "; checkpoint " + lastCheckpoint);
          // Not acknowledged here: the JVM may exit once it is, and the run folder's lock is
          // released only after this returns. The signal's owner closes it after that.
          return new Outcome(done, true, lastCheckpoint, loss);
        }
      }
      progress.finish();
      if (scaler != null && scaler.skippedSteps() > 0) {
        LOG.warn(
            "fp16-mixed: {} of {} steps skipped because their gradients overflowed float16; loss"
                + " scale now {}",
            scaler.skippedSteps(),
            train.steps(),
            formatScale(scaler.scale()));
      }
      if (sequenceStats.truncatedExamples() > 0 || sequenceStats.droppedExamples() > 0) {
        LOG.warn("sequences: {}", sequenceStats);
      }
      if (!pipeline.imageConversions().seen().isEmpty()) {
        LOG.warn("image decoding: {}", pipeline.imageConversions());
      }
      return new Outcome(train.steps(), false, lastCheckpoint, loss);
    }
  }

  /**
   * Logs a step skipped for overflow, and stops training when the scale has fallen below float16's
   * smallest positive value: a scale that small no longer brings gradients into float16's range, so
   * the overflow comes from the backward pass itself and every later step would be skipped too.
   */
  private void skipped(int step, TrainingStep.Result result, LossScaler scaler) {
    LOG.warn(
        "step {}: gradients overflowed float16 at loss scale {}; step skipped (no parameter or"
            + " optimizer change), loss scale lowered to {}",
        step,
        formatScale(result.lossScale()),
        formatScale(scaler.scale()));
    if (scaler.scale() < SMALLEST_FLOAT16) {
      throw new UserException(
          "the gradients overflow float16 at every loss scale down to "
              + formatScale(result.lossScale())
              + " (step "
              + step
              + "): the backward pass leaves float16's range; train with"
              + " mm1.train.precision = fp32 (the newest checkpoint in "
              + directory.checkpoints()
              + " is intact)");
    }
  }

  /** A loss scale as a plain number when it is a whole one (65536), else in full. */
  static String formatScale(double scale) {
    return scale == Math.rint(scale) && Math.abs(scale) < 1e15
        ? Long.toString((long) scale)
        : Double.toString(scale);
  }

  /**
   * Where training ended.
   *
   * @param step the steps completed
   * @param interrupted whether a stop request ended it early
   * @param checkpoint the newest checkpoint, or null when none was written
   * @param loss the last step's loss (NaN when no step ran)
   */
  public record Outcome(int step, boolean interrupted, Path checkpoint, float loss) {}

  /**
   * Holds components fixed as the settings say: those in {@code freeze} for the whole run, and all
   * but the connector during the first {@code connector-only-steps}.
   */
  private static final class Freezer {
    private final Map<String, Block> blocks = new LinkedHashMap<>();
    private final Map<String, Boolean> frozen = new LinkedHashMap<>();
    private final TrainSettings train;

    Freezer(MultimodalModel model, TrainSettings train) {
      this.train = train;
      Components c = model.components();
      blocks.put("encoder", c.encoder());
      blocks.put("connector", c.connector());
      blocks.put("decoder", c.decoder());
    }

    void apply(int step) {
      boolean connectorOnly = step < train.connectorOnlySteps();
      for (Map.Entry<String, Block> entry : blocks.entrySet()) {
        String name = entry.getKey();
        boolean freeze =
            train.frozen().contains(name) || (connectorOnly && !name.equals("connector"));
        if (!Boolean.valueOf(freeze).equals(frozen.get(name))) {
          entry.getValue().freezeParameters(freeze);
          frozen.put(name, freeze);
        }
      }
    }
  }
}
