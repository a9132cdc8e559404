package org.mm1lab.core.layout;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of everything a run leaves on disk, and the paths inside one run folder:
 *
 * <pre>
 *   runs/NAME/                     a run folder ({@link #defaultFolder})
 *     run.conf                     the resolved configuration
 *     metrics.jsonl                one JSON object per logged step, keyed as {@link Metric} says
 *     checkpoints/step-NNNNNNNN/   model, optimizer state, data position ({@link Checkpoint})
 *     eval/                        results, examples, predictions, example images ({@link Eval})
 *     report/index.html            the page and its plots ({@link Report})
 *     report.md                    the same as a Markdown summary
 *     .mm1.lock                    while a command writes the folder: its process ({@link #LOCK})
 *     set-aside/TIME/              files --restart or --from-checkpoint moved aside ({@link
 *                                  #SET_ASIDE})
 *   runs/NAME-encoder/             an encoder pretraining ({@link Pretraining})
 *   runs/ablations/NAME/           an ablation, one run folder per variant ({@link Ablation}),
 *                                  one folder per encoder pretraining stage
 * </pre>
 *
 * <p>The files are an on-disk contract (a run folder outlives the program that wrote it, and
 * ablations read folders that cluster jobs wrote), so a name changes here or nowhere.
 *
 * @param root the run folder, as given: the paths below keep its form, as messages show them
 */
public record RunLayout(Path root) {

  /** The resolved configuration, loadable as a run file. */
  public static final String CONFIG = "run.conf";

  /** The training metrics, one JSON object per logged step. */
  public static final String METRICS = "metrics.jsonl";

  /** The folder of the checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";

  /**
   * The lock file of a run or ablation folder, there only while a command writes the folder; it
   * names the writer's process (see {@code org.mm1lab.core.io.FolderLock}).
   */
  public static final String LOCK = ".mm1.lock";

  /**
   * The folder that {@code --restart} and {@code --from-checkpoint} move a run's files into instead
   * of deleting them, one {@code set-aside/TIME/} folder per move.
   */
  public static final String SET_ASIDE = "set-aside";

  /** The folder of an evaluation's files. */
  public static final String EVAL = "eval";

  /** The evaluation's scores relative to the run folder, as messages and job scripts name them. */
  public static final String EVAL_RESULTS = EVAL + "/" + Eval.RESULTS;

  /** The folder of the report's page and plots. */
  public static final String REPORT = "report";

  /** The report as Markdown, beside its folder. */
  public static final String SUMMARY = "report.md";

  /** The folder that holds runs unless the user names another. */
  private static final String RUNS = "runs";

  /** The folder a run named {@code name} trains into unless told otherwise. */
  public static Path defaultFolder(String name) {
    return Path.of(RUNS, name);
  }

  /** The resolved configuration. */
  public Path config() {
    return root.resolve(CONFIG);
  }

  /** The training metrics. */
  public Path metrics() {
    return root.resolve(METRICS);
  }

  /** The lock file. */
  public Path lock() {
    return root.resolve(LOCK);
  }

  /** The checkpoint folder. */
  public Path checkpoints() {
    return root.resolve(CHECKPOINTS);
  }

  /** The evaluation's folder. */
  public Path eval() {
    return root.resolve(EVAL);
  }

  /** The evaluation's scores; their presence marks an evaluated run. */
  public Path evalResults() {
    return eval().resolve(Eval.RESULTS);
  }

  /** The evaluation's saved examples. */
  public Path evalExamples() {
    return eval().resolve(Eval.EXAMPLES);
  }

  /** The report's folder. */
  public Path report() {
    return root.resolve(REPORT);
  }

  /** The report's page. */
  public Path reportPage() {
    return report().resolve(Report.PAGE);
  }

  /** The report as Markdown. */
  public Path summary() {
    return root.resolve(SUMMARY);
  }

  /** The keys of a line of {@code metrics.jsonl}; a reader ignores keys it does not know. */
  public static final class Metric {

    /** The steps completed when the line was logged; every line has it. */
    public static final String STEP = "step";

    /**
     * The training loss: the mean over the steps since the previous line ({@link #INTERVAL_STEPS}
     * of them). Files written before it was a mean hold the one step's loss.
     */
    public static final String LOSS = "loss";

    /** The loss of the line's own step alone, beside the interval's mean {@link #LOSS}. */
    public static final String LOSS_LAST = "loss-last";

    /** How many steps the line's means are over; absent in files written before it was logged. */
    public static final String INTERVAL_STEPS = "interval-steps";

    /** The largest gradient norm of the interval, before clipping: the spike a mean hides. */
    public static final String GRAD_NORM_MAX = "grad-norm-max";

    /** The learning rate of the step. */
    public static final String LR = "lr";

    /** The global gradient norm before clipping (training: the interval's mean). */
    public static final String GRAD_NORM = "grad-norm";

    /** Training throughput. */
    public static final String TOKENS_PER_S = "tokens-per-s";

    /** Pretraining throughput. */
    public static final String IMAGES_PER_S = "images-per-s";

    /** The step's wall-clock seconds (training: the interval's mean). */
    public static final String STEP_S = "step-s";

    /** The seconds the step waited for its data (training: the interval's mean). */
    public static final String DATA_WAIT_S = "data-wait-s";

    /** The seconds since training started. */
    public static final String ELAPSED_S = "elapsed-s";

    /** An object of the decoder's auxiliary losses by name (the interval's means). */
    public static final String AUX = "aux";

    /**
     * Mixed-precision training only: the loss scale of the line's own step (what it multiplied its
     * loss by before the backward pass).
     */
    public static final String LOSS_SCALE = "loss-scale";

    /**
     * Mixed-precision training only: how many of the line's steps were skipped because their
     * gradients overflowed float16 (they changed no parameter; their gradient norms are left out of
     * {@link #GRAD_NORM}).
     */
    public static final String SKIPPED_STEPS = "skipped-steps";

    private Metric() {}
  }

  /** One checkpoint: a {@code step-NNNNNNNN} folder inside {@link #CHECKPOINTS}. */
  public static final class Checkpoint {

    /** Every parameter by its block name. */
    public static final String MODEL = "model.safetensors";

    /** The optimizer's moments. */
    public static final String OPTIMIZER = "optimizer.safetensors";

    /** Step, optimizer step, data position and the tensor files' checksums. */
    public static final String STATE = "state.json";

    private static final Pattern FOLDER = Pattern.compile("step-[0-9]{8}");

    /** The folder of the checkpoint written after {@code step} steps; names sort by step. */
    public static String folder(int step) {
      return String.format(Locale.ROOT, "step-%08d", step);
    }

    /** The step of a checkpoint folder's name. */
    public static int step(String folder) {
      if (!isFolder(folder)) {
        throw new IllegalArgumentException("not a checkpoint folder: " + folder);
      }
      return Integer.parseInt(folder.substring("step-".length()));
    }

    /** Whether {@code name} is a checkpoint folder's name. */
    public static boolean isFolder(String name) {
      return FOLDER.matcher(name).matches();
    }

    private Checkpoint() {}
  }

  /** The files of an evaluation, in {@link #EVAL} or the folder given instead. */
  public static final class Eval {

    /** The scores per task and shot count. */
    public static final String RESULTS = "results.json";

    /**
     * Every evaluation of the folder's run, one JSON line each ({@code step}, {@code results} as in
     * {@link #RESULTS}), appended as {@link #RESULTS} is replaced: the scores over checkpoints.
     */
    public static final String HISTORY = "history.jsonl";

    /** The examples kept for people to look at. */
    public static final String EXAMPLES = "examples.json";

    /** The folder of the examples' images. */
    public static final String EXAMPLE_IMAGES = "examples";

    /** Every item's output. */
    public static final String PREDICTIONS = "predictions.jsonl";

    private Eval() {}

    /**
     * The keys of one entry of the {@code results} array of {@link #RESULTS}; a reader ignores keys
     * it does not know, and files written before {@link #SE} existed lack it (unknown, not zero).
     */
    public static final class Result {

      /** The task, or a break-down row as {@code task/part}. */
      public static final String TASK = "task";

      /** The number of in-context examples. */
      public static final String SHOTS = "shots";

      /** The metric's name. */
      public static final String METRIC = "metric";

      /** The score on the paper's scale: the mean of the per-item scores. */
      public static final String SCORE = "score";

      /**
       * The standard error of {@link #SCORE} over the evaluation items, on its scale: the sample
       * standard deviation of the per-item scores divided by the square root of their number; null
       * when fewer than two items were scored.
       */
      public static final String SE = "se";

      /** How many items were scored. */
      public static final String ITEMS = "items";

      /**
       * The in-context examples left out over all items because their prompts would not fit the
       * sequence length; absent in files written before it was recorded (unknown, not zero).
       */
      public static final String DROPPED_SHOTS = "dropped-shots";

      private Result() {}
    }
  }

  /** The files of a run's report, in {@link #REPORT}. */
  public static final class Report {

    /** The page. */
    public static final String PAGE = "index.html";

    /** The copies of the evaluation's example images the page shows. */
    public static final String EXAMPLE_IMAGES = "examples";

    /** The training loss plot. */
    public static final String LOSS_PLOT = "loss.png";

    /** The training loss against wall-clock time. */
    public static final String LOSS_TIME_PLOT = "loss-time.png";

    /** The learning-rate plot. */
    public static final String LR_PLOT = "lr.png";

    /** The gradient-norm plot. */
    public static final String GRAD_NORM_PLOT = "grad-norm.png";

    /** The loss-scale plot of a mixed-precision run. */
    public static final String LOSS_SCALE_PLOT = "loss-scale.png";

    /** The throughput plot. */
    public static final String THROUGHPUT_PLOT = "tokens-per-s.png";

    /** The plot of the auxiliary losses. */
    public static final String AUX_PLOT = "aux-losses.png";

    private Report() {}
  }

  /**
   * An encoder pretraining's folder: {@link #CONFIG} and {@link #METRICS} as in a run folder, the
   * encoder's weights and description, and the loss curve.
   */
  public static final class Pretraining {

    /** The encoder's parameters. */
    public static final String WEIGHTS = "encoder.safetensors";

    /** What the weights fit: type, options, grid, steps and final loss. */
    public static final String DESCRIPTION = "encoder.json";

    /** The loss curve. */
    public static final String LOSS_PLOT = "loss.png";

    /** The folder the encoder of a run named {@code name} is pretrained into unless told. */
    public static Path defaultFolder(String name) {
      return Path.of(RUNS, name + "-encoder");
    }

    private Pretraining() {}
  }

  /**
   * An ablation's folder: the grid's expansion and the copies of its files, one run folder per
   * variant with its run file and output, the comparison ({@link #REPORT} with {@link Report#PAGE},
   * and {@link #SUMMARY}), and the cluster jobs {@code --emit} writes.
   */
  public static final class Ablation {

    /** The grid's expansion: axes, seeds, baseline, every variant's overrides. */
    public static final String PLAN = "ablation.json";

    /** The copy of the grid file. */
    public static final String GRID = "grid.conf";

    /**
     * The record of each {@code mm1 ablate} session that ran the ablation's children: its command,
     * start, end and wall time, and the machine it ran on.
     */
    public static final String TIMING = "timing.json";

    /** The copy of the base run file. */
    public static final String BASE = "base.conf";

    /** The folder of the variants' run folders. */
    public static final String VARIANTS = "variants";

    /** A variant's run file, in its run folder. */
    public static final String VARIANT_CONFIG = "variant.conf";

    /** A variant's output, in its run folder. */
    public static final String LOG = "log.txt";

    /** The comparison as CSV, in the report folder. */
    public static final String COMPARISON = "comparison.csv";

    /** The chart of every variant's average, in the report folder. */
    public static final String VARIANTS_CHART = "variants.png";

    /** The overlaid loss curves, in the report folder. */
    public static final String LOSS_CHART = "loss.png";

    /** The Slurm job array script. */
    public static final String SLURM = "slurm.sh";

    /** The Kubernetes Indexed Job manifest. */
    public static final String KUBERNETES = "kubernetes.yaml";

    /**
     * The folder of a cluster bundle's inputs (pretrained checkpoints, tokenizer, data files the
     * run files name), copied in by {@code --emit} so that the bundle needs nothing outside it.
     */
    public static final String INPUTS = "inputs";

    /** The folder of the encoder pretraining stages, one folder per stage. */
    public static final String STAGES = "stages";

    /** A stage's run file ({@code mm1 pretrain-encoder} runs it), in its stage folder. */
    public static final String STAGE_CONFIG = "stage.conf";

    /**
     * Where a stage's pretraining writes while it runs, in its stage folder; deleted when a stage
     * starts over, so that an interrupted pretraining never leaves files a run would load.
     */
    public static final String STAGE_PARTIAL = "partial";

    /**
     * A stage's finished pretraining folder ({@link Pretraining}'s files), in its stage folder: the
     * partial folder renamed once its pretraining succeeded.
     */
    public static final String STAGE_OUTPUT = "encoder";

    /** The marker of a complete stage, holding its hash; written after the rename. */
    public static final String STAGE_DONE = "stage.done";

    /**
     * The marker a stage run by a cluster job leaves when its pretraining failed, so that the runs
     * waiting for it fail at once instead of waiting.
     */
    public static final String STAGE_FAILED = "stage.failed";

    /** The folder of the ablation named {@code name} unless told otherwise. */
    public static Path defaultFolder(String name) {
      return Path.of(RUNS, "ablations", name);
    }

    /** The chart of one axis at one shot count; {@code label} must be safe in a file name. */
    public static String axisChart(String label, int shots) {
      return "axis-" + label + "-" + shots + "shot.png";
    }

    private Ablation() {}
  }
}
