package org.mm1lab.core.run;

import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.train.Checkpoints;

/**
 * A trained model reopened from its run folder (its newest checkpoint) or from one checkpoint
 * folder inside it: the run's resolved configuration is assembled again and the checkpoint's
 * parameters are loaded, checksum first.
 *
 * @param instance the model, on the run's device; close it to free it
 * @param plan the run's configuration (with any overrides applied) and settings
 * @param tokenizer the run's tokenizer
 * @param directory the run folder
 * @param checkpoint the checkpoint loaded
 * @param step the step the checkpoint was written at
 */
public record TrainedModel(
    ModelInstance instance,
    RunPlan plan,
    Tokenizer tokenizer,
    RunDirectory directory,
    Path checkpoint,
    int step)
    implements AutoCloseable {

  /**
   * Opens a run folder or a checkpoint folder.
   *
   * @param assembly plugins and the config loader
   * @param path a run folder (its newest checkpoint is used) or a {@code step-NNNNNNNN} folder
   * @param overrides {@code --set} overrides on the stored configuration (evaluation settings,
   *     say); the model's sections must stay as trained
   * @throws UserException when the path holds no run or checkpoint, or the checkpoint is corrupt
   */
  public static TrainedModel open(Assembly assembly, Path path, List<String> overrides) {
    RunDirectory directory = directoryOf(path);
    boolean named = isCheckpointFolder(path);
    Checkpoints checkpoints = new Checkpoints(directory.checkpoints(), Integer.MAX_VALUE);
    Path checkpoint = named ? path : newest(checkpoints, path);
    RunPlan plan = assembly.plan(directory.configFile(), overrides);
    refuseModelOverrides(assembly, directory, plan, overrides);
    Components components = assembly.assemble(plan);
    Tokenizer tokenizer = components.tokenizer();
    ModelInstance instance = ModelInstance.allocate(plan, components);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          int step = Checkpoints.loadModel(checkpoint, instance.model(), instance.manager());
          return new TrainedModel(instance, plan, tokenizer, directory, checkpoint, step);
        } catch (UserException e) {
          if (named) {
            throw e;
          }
          // A training still running prunes its old checkpoints: one that was being removed
          // while it was read is not damaged, and a newer one has taken its place.
          Path now = checkpoints.latest().orElse(checkpoint);
          if (now.equals(checkpoint) || attempt == RETRIES) {
            throw unusable(e, checkpoint, checkpoints);
          }
          checkpoint = now;
        }
      }
    } catch (RuntimeException e) {
      instance.close();
      throw e;
    }
  }

  private static final int RETRIES = 3;

  /**
   * The model's sections are what its checkpoint holds: an override that changes them would only
   * fail later as tensors that do not fit, blaming the checkpoint for the user's {@code --set}.
   */
  private static void refuseModelOverrides(
      Assembly assembly, RunDirectory directory, RunPlan plan, List<String> overrides) {
    if (overrides.isEmpty()) {
      return;
    }
    String model = "mm1.model";
    RunPlan trained = assembly.plan(directory.configFile(), List.of());
    String before = trained.config().config().getValue(model).render(ConfigRenderOptions.concise());
    String after = plan.config().config().getValue(model).render(ConfigRenderOptions.concise());
    if (!before.equals(after)) {
      String culprit =
          overrides.stream()
              .filter(o -> o.strip().startsWith(model))
              .findFirst()
              .orElse(String.join(" ", overrides));
      throw new UserException(
          "--set "
              + culprit
              + ": the model of a trained run stays as it was trained (its checkpoint holds"
              + " those shapes); override settings outside "
              + model
              + ", such as mm1.eval.*, or train a new run");
    }
  }

  private static Path newest(Checkpoints checkpoints, Path path) {
    return checkpoints
        .latest()
        .orElseThrow(
            () ->
                new UserException(
                    path
                        + " holds no checkpoint; train it first (mm1 train), or name a"
                        + " checkpoint folder"));
  }

  /** The refusal of a run's newest checkpoint, naming the intact older one to read instead. */
  private static UserException unusable(
      UserException problem, Path checkpoint, Checkpoints checkpoints) {
    String advice =
        checkpoints
            .newestIntactBefore(checkpoint)
            .map(p -> "name the newest intact one instead: " + p)
            .orElse("no older checkpoint is intact");
    return new UserException(problem.getMessage() + "; " + advice, problem);
  }

  /**
   * The run folder of a run folder or of a checkpoint inside one ({@code RUN/checkpoints/step-N}).
   *
   * @throws UserException when the path is neither, or the folder holds no run
   */
  public static RunDirectory directoryOf(Path path) {
    RunDirectory directory;
    if (isCheckpointFolder(path)) {
      Path parent = path.toAbsolutePath().normalize().getParent();
      directory = new RunDirectory(parent == null ? path : parent.getParent());
    } else if (Files.isDirectory(path)) {
      directory = new RunDirectory(path);
    } else {
      throw new UserException(path + ": no such run folder or checkpoint");
    }
    if (!directory.exists()) {
      throw new UserException(
          path + " is not a run folder or a checkpoint inside one (no " + RunLayout.CONFIG + ")");
    }
    return directory;
  }

  /** A checkpoint's folder, complete or not: one is named, so that its problem is reported. */
  private static boolean isCheckpointFolder(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return Checkpoints.isCheckpoint(path)
        || (name != null
            && RunLayout.Checkpoint.isFolder(name.toString())
            && Files.isDirectory(path));
  }

  @Override
  public void close() {
    instance.close();
  }
}
