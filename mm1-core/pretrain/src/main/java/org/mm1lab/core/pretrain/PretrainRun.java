package org.mm1lab.core.pretrain;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.Family;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.config.ComponentSlots;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.RunSettings;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.io.FolderLock;
import org.mm1lab.core.layout.RunLayout;
import org.mm1lab.core.run.ThreadPolicy;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/**
 * {@code mm1 pretrain-encoder} from a loaded run to an output folder: assembles the run (so that a
 * run file that cannot train fails before any work), initialises its encoder from the seed (and
 * loads the encoder's {@code checkpoint}, if set, to continue from it), builds the encoder's own
 * {@link EncoderObjective}, trains both on the image-caption pairs of {@code mm1.pretrain.source},
 * and writes into the folder:
 *
 * <ul>
 *   <li>{@code run.conf}: the resolved configuration, as run;
 *   <li>{@code metrics.jsonl}: one line per logged step (see {@link MetricsLog});
 *   <li>{@code encoder.safetensors} and {@code encoder.json} (see {@link EncoderCheckpoint}).
 * </ul>
 *
 * Files of an earlier pretraining in the same folder are replaced; the weights only at the end,
 * atomically.
 */
public final class PretrainRun {

  private final Assembly assembly;
  private final RunPlan plan;
  private final RunConfig config;
  private final Path output;

  /**
   * @param assembly builds the run's components
   * @param plan the loaded run and its settings
   * @param output the output folder
   */
  public PretrainRun(Assembly assembly, RunPlan plan, Path output) {
    this.assembly = assembly;
    this.plan = plan;
    this.config = plan.config();
    this.output = output;
  }

  /**
   * Pretrains and writes the output.
   *
   * @param progress told every logged step, besides {@code metrics.jsonl}
   * @return where the weights went and what the run measured
   * @throws UserException for any problem the user can fix, as one line each
   */
  public Result run(PretrainListener progress) {
    RunSettings settings = plan.run();
    DataSettings data = plan.data();
    PretrainSettings pretrain = PretrainSettings.from(config, data);
    Components components = assembly.assemble(plan);
    ImageEncoder encoder = components.encoder();
    Tokenizer tokenizer = components.tokenizer();
    Map<String, DataSource> sources = DataSources.open(data);

    // on the thread that trains, before anything else starts the engine
    ThreadPolicy.Choice threads = ThreadPolicy.of(settings).apply();
    Engine.getInstance().setRandomSeed((int) settings.seed());
    Device device = device(settings.device());
    progress.started(device, threads);
    int size = encoder.imageSize();
    Shape pixels = new Shape(pretrain.batchSize(), 3, size, size);
    try (FolderLock lock = FolderLock.acquire(output, "mm1 pretrain-encoder");
        NDManager manager = NDManager.newBaseManager(device)) {
      encoder.initialize(manager, DataType.FLOAT32, pixels);
      boolean continued = loadPretrained(encoder, manager);
      EncoderObjective objective = objective(encoder, tokenizer.vocabularySize());
      if (objective.needsCaptions()) {
        int length = Math.min(objective.maxCaptionTokens(), 16);
        objective.initialize(
            manager, DataType.FLOAT32, pixels, new Shape(pretrain.batchSize(), length));
      } else {
        objective.initialize(manager, DataType.FLOAT32, pixels);
      }
      // Only now that the model stands is anything written, so a run that cannot start leaves no
      // folder behind.
      lock.written();
      createOutput();
      writeRunConf();
      EncoderPretrainer.Summary summary;
      try (MetricsLog metrics =
              new MetricsLog(output.resolve(RunLayout.METRICS), plan.train().tensorBoard());
          CaptionBatches batches =
              new CaptionBatches(
                  sources.get(pretrain.source()),
                  plan.imagePreprocessor(encoder),
                  tokenizer,
                  pretrain.batchSize(),
                  objective.needsCaptions(),
                  objective.maxCaptionTokens(),
                  data.maxBadFraction())) {
        EncoderPretrainer pretrainer = new EncoderPretrainer(encoder, objective, pretrain, manager);
        summary =
            pretrainer.run(
                batches::next,
                p -> {
                  metrics.logged(p);
                  progress.logged(p);
                });
      }
      EncoderCheckpoint checkpoint = new EncoderCheckpoint(config);
      Path weights = checkpoint.write(output, encoder, summary);
      return new Result(
          output, weights, checkpoint.runFileLine(weights), summary, continued, pretrain);
    }
  }

  private void createOutput() {
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new UserException(
          "cannot create the output folder " + output + ": " + e.getMessage(), e);
    }
  }

  /** The resolved {@code mm1} section, so that the folder says exactly what was run. */
  private void writeRunConf() {
    String text =
        "# The resolved configuration of this encoder pretraining ("
            + config.source()
            + ").\n"
            + config
                .config()
                .root()
                .withOnlyKey("mm1")
                .render(
                    ConfigRenderOptions.defaults()
                        .setOriginComments(false)
                        .setComments(false)
                        .setJson(false)
                        .setFormatted(true));
    Path file = output.resolve(RunLayout.CONFIG);
    try {
      EncoderCheckpoint.writeAtomically(file, text);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean loadPretrained(ImageEncoder encoder, NDManager manager) {
    String option =
        ComponentSlots.pathOf(Family.ENCODER) + "." + EncoderCheckpoint.CHECKPOINT_OPTION;
    try {
      return encoder.loadPretrained(manager);
    } catch (WeightMismatchException e) {
      throw WeightErrors.userError(option, e);
    } catch (UncheckedIOException e) {
      throw new UserException(option + ": cannot read the checkpoint: " + e.getMessage(), e);
    }
  }

  private EncoderObjective objective(ImageEncoder encoder, int vocabularySize) {
    String type = config.type(Family.ENCODER);
    try {
      return encoder.pretrainingObjective(vocabularySize);
    } catch (UnsupportedOperationException e) {
      throw new UserException(
          ComponentSlots.pathOf(Family.ENCODER)
              + ": encoder '"
              + type
              + "' has no pretraining objective; pick an encoder that has one (mm1 plugins lists"
              + " them), such as clip-vit or aim-vit",
          e);
    } catch (IllegalArgumentException e) {
      throw new UserException(
          ComponentSlots.pathOf(Family.ENCODER) + ": encoder '" + type + "': " + e.getMessage(), e);
    }
  }

  /** {@code mm1.device} as a DJL device; {@code auto} is the engine's default. */
  private static Device device(String setting) {
    if (setting.equals("auto")) {
      return Engine.getInstance().defaultDevice();
    }
    if (setting.equals("cpu")) {
      return Device.cpu();
    }
    int gpus = Engine.getInstance().getGpuCount();
    int index = setting.equals("gpu") ? 0 : Integer.parseInt(setting.substring("gpu:".length()));
    if (index >= gpus) {
      throw new UserException(
          "mm1.device = "
              + setting
              + " but the engine sees "
              + gpus
              + " GPU(s); use cpu or auto, or install the engine's GPU native library");
    }
    return Device.gpu(index);
  }

  /**
   * What a pretraining produced.
   *
   * @param output the output folder
   * @param weights the {@code encoder.safetensors} written
   * @param runFileLine the encoder section that loads the weights in a multimodal run
   * @param summary what the loop measured
   * @param continued whether the encoder started from its configured {@code checkpoint}
   * @param settings the settings it ran with
   */
  public record Result(
      Path output,
      Path weights,
      String runFileLine,
      EncoderPretrainer.Summary summary,
      boolean continued,
      PretrainSettings settings) {}
}
