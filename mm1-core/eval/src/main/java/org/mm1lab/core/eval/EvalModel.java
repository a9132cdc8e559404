package org.mm1lab.core.eval;

import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.run.TrainedModel;
import org.mm1lab.core.train.MultimodalModel;

/**
 * A trained model reopened to be evaluated or asked ({@code mm1 eval}, {@code mm1 caption}, {@code
 * mm1 ask}), with the run's evaluation settings ({@code mm1.eval}) read once, here, right after the
 * model is loaded. Close it to free the model.
 */
public final class EvalModel implements AutoCloseable {

  private final TrainedModel trained;
  private final EvalSettings settings;

  private EvalModel(TrainedModel trained, EvalSettings settings) {
    this.trained = trained;
    this.settings = settings;
  }

  /**
   * Opens a run folder (its newest checkpoint) or a checkpoint folder and reads {@code mm1.eval}.
   *
   * @param assembly plugins and the config loader
   * @param path a run folder or a {@code step-NNNNNNNN} folder
   * @param overrides {@code --set} overrides on the run's stored configuration
   * @throws org.mm1lab.core.UserException when the path holds no trained run, or a setting is bad
   */
  public static EvalModel open(Assembly assembly, Path path, List<String> overrides) {
    TrainedModel trained = TrainedModel.open(assembly, path, overrides);
    try {
      return new EvalModel(trained, new EvalSettings(trained.plan().config()));
    } catch (RuntimeException e) {
      trained.close();
      throw e;
    }
  }

  /** The reopened model, its run and checkpoint. */
  public TrainedModel trained() {
    return trained;
  }

  /** The evaluation settings. */
  public EvalSettings settings() {
    return settings;
  }

  /**
   * The evaluation of every configured task and shot count, its sets opened.
   *
   * @throws org.mm1lab.core.UserException when an evaluation set's files cannot be read
   */
  public Evaluator evaluator() {
    RunPlan plan = trained.plan();
    return new Evaluator(
        model(),
        trained.tokenizer(),
        imagePreprocessor(),
        settings,
        EvalSets.open(settings, plan.data()),
        plan.train().sequenceLength(),
        trained.instance().manager());
  }

  /** One-off captions and answers, prompted as the evaluation prompts. */
  public ModelQueries queries() {
    return new ModelQueries(
        model(),
        trained.tokenizer(),
        imagePreprocessor(),
        settings,
        trained.plan().train().sequenceLength(),
        trained.instance().manager());
  }

  private MultimodalModel model() {
    return trained.instance().model();
  }

  private ImagePreprocessor imagePreprocessor() {
    return trained.plan().imagePreprocessor(model().components().encoder());
  }

  @Override
  public void close() {
    trained.close();
  }
}
