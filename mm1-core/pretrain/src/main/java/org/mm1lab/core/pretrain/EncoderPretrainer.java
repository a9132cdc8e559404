package org.mm1lab.core.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.core.UserException;
import org.mm1lab.core.train.AdamW;
import org.mm1lab.core.train.ClippedUpdate;
import org.mm1lab.core.train.LearningRateSchedule;

/**
 * The encoder pretraining loop: per step, the objective's loss on one batch, backward, global
 * gradient-norm clipping, one AdamW update of the encoder's and the objective's parameters, then
 * the objective's {@link EncoderObjective#afterStep()}. The host drives only {@link
 * EncoderObjective}; what the loss is (contrastive, autoregressive, a plugin's own) is the encoder
 * plugin's business.
 *
 * <p>Each step's arrays live in a sub-manager and an {@link NDScope} that close before the next
 * step, so native memory stays flat however long the run.
 */
public final class EncoderPretrainer {

  private final ImageEncoder encoder;
  private final EncoderObjective objective;
  private final PretrainSettings settings;
  private final NDManager manager;
  private final ClippedUpdate update;
  private final ParameterStore parameterStore;

  /**
   * @param encoder the encoder, initialised (and loaded, if it continues from a checkpoint)
   * @param objective its objective, initialised
   * @param settings steps, schedule, clipping, weight decay, logging cadence
   * @param manager the device's manager: batches are copied into a sub-manager of it per step, and
   *     AdamW's moments live in another
   */
  public EncoderPretrainer(
      ImageEncoder encoder,
      EncoderObjective objective,
      PretrainSettings settings,
      NDManager manager) {
    this.encoder = encoder;
    this.objective = objective;
    this.settings = settings;
    this.manager = manager;
    this.parameterStore = new ParameterStore(manager, false);
    // Prefixed, since the encoder's and the objective's block names may coincide.
    List<Map.Entry<String, Parameter>> parameters = new ArrayList<>();
    for (Pair<String, Parameter> p : encoder.getParameters()) {
      parameters.add(Map.entry("encoder/" + p.getKey(), p.getValue()));
    }
    for (Pair<String, Parameter> p : objective.getParameters()) {
      parameters.add(Map.entry("objective/" + p.getKey(), p.getValue()));
    }
    AdamW optimizer = new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, settings.weightDecay());
    this.update = new ClippedUpdate(optimizer, parameters, settings.gradientClip());
  }

  /**
   * Runs every step.
   *
   * @param batches the next batch on each call
   * @param listener told every logged step (see {@link PretrainSettings#logs(int)})
   * @return what the run measured
   * @throws UserException when the loss stops being finite
   */
  public Summary run(Supplier<CaptionBatch> batches, PretrainListener listener) {
    LearningRateSchedule schedule = settings.schedule();
    long started = System.nanoTime();
    long windowStarted = started;
    double windowLoss = 0;
    int windowSteps = 0;
    int windowImages = 0;
    double firstLoss = Double.NaN;
    double lastLogged = Double.NaN;
    for (int step = 1; step <= settings.steps(); step++) {
      double learningRate = schedule.at(step - 1);
      CaptionBatch batch = batches.get();
      StepResult result = step(batch, learningRate);
      if (!Double.isFinite(result.loss())) {
        throw new UserException(
            "pretraining diverged: the loss is "
                + result.loss()
                + " at step "
                + step
                + "; lower mm1.pretrain.lr (now "
                + settings.learningRate()
                + ") or mm1.pretrain.grad-clip");
      }
      if (step == 1) {
        firstLoss = result.loss();
      }
      windowLoss += result.loss();
      windowSteps++;
      windowImages += batch.size();
      if (settings.logs(step)) {
        long now = System.nanoTime();
        lastLogged = windowLoss / windowSteps;
        listener.logged(
            new PretrainProgress(
                step,
                settings.steps(),
                lastLogged,
                learningRate,
                result.gradientNorm(),
                windowImages / Math.max(1e-9, (now - windowStarted) / 1e9),
                (now - started) / 1e9));
        windowStarted = now;
        windowLoss = 0;
        windowSteps = 0;
        windowImages = 0;
      }
    }
    return new Summary(
        settings.steps(), firstLoss, lastLogged, (System.nanoTime() - started) / 1e9);
  }

  /** One optimisation step; every array it makes is closed before it returns. */
  StepResult step(CaptionBatch batch, double learningRate) {
    try (NDManager stepManager = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray pixels = batch.pixels(stepManager);
      NDArray tokens = batch.tokens(stepManager);
      NDArray mask = batch.mask(stepManager);
      float loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        update.startStep(collector);
        NDArray value = objective.loss(parameterStore, encoder, pixels, tokens, mask, true);
        collector.backward(value);
        loss = value.getFloat();
      }
      double norm = update.apply(learningRate);
      objective.afterStep();
      return new StepResult(loss, norm);
    }
  }

  /** The loss and gradient norm (before clipping) of one step. */
  record StepResult(float loss, double gradientNorm) {}

  /**
   * What a run measured.
   *
   * @param steps steps trained
   * @param firstLoss the loss of the first step
   * @param finalLoss the mean loss of the last logged window
   * @param seconds wall time of the loop
   */
  public record Summary(int steps, double firstLoss, double finalLoss, double seconds) {}
}
