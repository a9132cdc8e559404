package org.mm1lab.core.eval;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.layout.RunLayout.Eval;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.train.MultimodalModel;

/**
 * Runs every configured task at every shot count: builds the few-shot prompts, generates answers in
 * batches, scores them, and writes {@code results.json}, {@code examples.json} with its images and
 * {@code predictions.jsonl} (see {@link EvalOutputs}).
 *
 * <p>A shot count is evaluated where the sequence length allows it: when at least half of a task's
 * prompts hold all their in-context examples. The few prompts that do not (a long question, a long
 * reference caption) drop their oldest examples and the drops are counted; but when most prompts
 * would, the score would be that of fewer shots under a larger shot count's name, so the task is
 * skipped at that count instead ({@link EvalReport.Skipped}), before any generation.
 */
public final class Evaluator {

  /** In-context examples read per task: enough for a varied per-query draw at any shot count. */
  static int poolSize(int maxShots) {
    return Math.max(32, 4 * maxShots);
  }

  private final EvalSettings settings;
  private final EvalSets sets;
  private final FewShotPrompts prompts;
  private final Generator generator;
  private final TaskScorer scorer = new TaskScorer();

  /**
   * An evaluator over a loaded model.
   *
   * @param model the model, initialised and loaded
   * @param tokenizer the run's tokenizer
   * @param preprocessor images to the encoder's input (the run's size and normalisation)
   * @param settings {@code mm1.eval}
   * @param sets the tasks' items and in-context examples
   * @param maxSequenceLength the model's sequence length ({@code mm1.train.seq-len})
   * @param manager on the model's device; generation's arrays live in sub-managers of it
   */
  public Evaluator(
      MultimodalModel model,
      Tokenizer tokenizer,
      ImagePreprocessor preprocessor,
      EvalSettings settings,
      EvalSets sets,
      int maxSequenceLength,
      NDManager manager) {
    this(
        settings,
        sets,
        new FewShotPrompts(
            tokenizer,
            model.components().connector().tokens(),
            maxSequenceLength,
            settings.prompts()),
        new BatchGenerator(model, tokenizer, preprocessor, manager));
  }

  /**
   * An evaluator over any generator (a scripted one in tests).
   *
   * @param settings {@code mm1.eval}
   * @param sets the tasks' items and in-context examples
   * @param prompts prompt assembly
   * @param generator continues prompts
   */
  public Evaluator(
      EvalSettings settings, EvalSets sets, FewShotPrompts prompts, Generator generator) {
    this.settings = settings;
    this.sets = sets;
    this.prompts = prompts;
    this.generator = generator;
  }

  /** Runs the evaluation and writes its files into {@code outDir}. */
  public EvalReport run(String runName, long step, Path outDir) {
    return run(runName, step, outDir, result -> {});
  }

  /**
   * Runs the evaluation and writes its files into {@code outDir}.
   *
   * @param runName the run's name, for {@code results.json}
   * @param step the training step of the weights, for {@code results.json}
   * @param outDir the output folder; created when missing, files in it replaced
   * @param onResult told of each task and shot count's result as soon as it is scored (to print
   *     progress)
   * @return what was measured, as written to {@code results.json}
   * @throws UserException for an empty set or a prompt that cannot fit the sequence length
   */
  public EvalReport run(
      String runName, long step, Path outDir, Consumer<EvalReport.Result> onResult) {
    return run(runName, step, outDir, onResult, skipped -> {});
  }

  /**
   * Runs the evaluation and writes its files into {@code outDir}.
   *
   * @param runName the run's name, for {@code results.json}
   * @param step the training step of the weights, for {@code results.json}
   * @param outDir the output folder; created when missing, files in it replaced
   * @param onResult told of each task and shot count's result as soon as it is scored (to print
   *     progress)
   * @param onSkipped told of each task and shot count left out because its prompts do not fit the
   *     sequence length, when it is decided (before anything is generated for it)
   * @return what was measured, as written to {@code results.json}
   * @throws UserException for an empty set or a prompt that cannot fit the sequence length
   */
  public EvalReport run(
      String runName,
      long step,
      Path outDir,
      Consumer<EvalReport.Result> onResult,
      Consumer<EvalReport.Skipped> onSkipped) {
    EvalProvenance provenance = EvalProvenance.now(settings);
    List<EvalReport.Result> results = new ArrayList<>();
    List<EvalReport.Skipped> skipped = new ArrayList<>();
    List<EvalExample> examples = new ArrayList<>();
    List<Prediction> predictions = new ArrayList<>();
    for (String task : settings.tasks()) {
      List<EvalItem> items = sets.items(task, settings.items());
      if (items.isEmpty()) {
        throw new UserException("the evaluation set of task " + task + " has no items");
      }
      ShotSelector selector =
          new ShotSelector(
              settings.seed(),
              task,
              settings.maxShots() > 0
                  ? sets.shots(task, poolSize(settings.maxShots()))
                  : List.of());
      for (int shots : settings.shots()) {
        List<Prompt> built = build(task, shots, items, selector);
        Optional<EvalReport.Skipped> tooLong = tooLong(task, shots, built);
        if (tooLong.isPresent()) {
          skipped.add(tooLong.get());
          onSkipped.accept(tooLong.get());
          continue;
        }
        Outcome outcome = evaluate(task, items, built);
        EvalReport.Result result =
            new EvalReport.Result(
                task,
                shots,
                outcome.scored.metric(),
                outcome.scored.score(),
                outcome.scored.se(),
                items.size(),
                outcome.droppedShots());
        results.add(result);
        onResult.accept(result);
        outcome
            .scored
            .breakdown()
            .forEach(
                (sub, score) ->
                    results.add(
                        new EvalReport.Result(
                            task + "/" + sub,
                            shots,
                            outcome.scored.metric(),
                            score.score(),
                            score.se(),
                            score.items(),
                            outcome.droppedShots(sub, items))));
        collect(task, shots, items, outcome, examples, predictions);
      }
    }
    EvalReport report = new EvalReport(runName, step, results, skipped);
    EvalOutputs outputs = new EvalOutputs(outDir, generator.imageSide());
    outputs.writePredictions(predictions);
    outputs.writeExamples(examples);
    outputs.writeResults(report, provenance);
    return report;
  }

  /** The prompts of one task at one shot count, in item order. */
  private List<Prompt> build(String task, int shots, List<EvalItem> items, ShotSelector selector) {
    int maxNewTokens = settings.maxNewTokens(task);
    List<Prompt> built = new ArrayList<>(items.size());
    for (EvalItem item : items) {
      built.add(prompts.build(item, selector.select(item.id(), shots), maxNewTokens));
    }
    return built;
  }

  /**
   * Whether a shot count is beyond what the sequence length allows: more than half of the prompts
   * had to drop examples, so the median prompt holds fewer than asked for.
   */
  private Optional<EvalReport.Skipped> tooLong(String task, int shots, List<Prompt> built) {
    int itemsShort = 0;
    int[] kept = new int[built.size()];
    for (int i = 0; i < built.size(); i++) {
      kept[i] = built.get(i).shots();
      if (built.get(i).droppedShots() > 0) {
        itemsShort++;
      }
    }
    if (2 * itemsShort <= built.size()) {
      return Optional.empty();
    }
    Arrays.sort(kept);
    return Optional.of(
        new EvalReport.Skipped(
            task,
            shots,
            itemsShort,
            built.size(),
            kept[(kept.length - 1) / 2],
            prompts.maxLength()));
  }

  /** One task at one shot count: generation in batches, answers, scores. */
  private Outcome evaluate(String task, List<EvalItem> items, List<Prompt> built) {
    int maxNewTokens = settings.maxNewTokens(task);
    List<String> raw = new ArrayList<>(items.size());
    for (int start = 0; start < built.size(); start += settings.batchSize()) {
      List<Prompt> batch =
          built.subList(start, Math.min(built.size(), start + settings.batchSize()));
      List<String> out = generator.generate(batch, maxNewTokens);
      if (out.size() != batch.size()) {
        throw new IllegalStateException(
            "the generator answered " + out.size() + " of " + batch.size() + " prompts");
      }
      raw.addAll(out);
    }
    List<String> answers = new ArrayList<>(raw.size());
    for (String text : raw) {
      answers.add(Answers.extract(task, text));
    }
    return new Outcome(built, raw, answers, scorer.score(task, items, answers));
  }

  private void collect(
      String task,
      int shots,
      List<EvalItem> items,
      Outcome outcome,
      List<EvalExample> examples,
      List<Prediction> predictions) {
    for (int i = 0; i < items.size(); i++) {
      EvalItem item = items.get(i);
      Prompt prompt = outcome.prompts.get(i);
      predictions.add(
          new Prediction(
              task,
              shots,
              item.id(),
              prompt.query(),
              outcome.raw.get(i),
              outcome.answers.get(i),
              expected(item),
              outcome.scored.perItem()[i],
              prompt.length(),
              prompt.droppedShots()));
      if (i < settings.examples()) {
        ImageSource image = image(item);
        examples.add(
            new EvalExample(
                task,
                shots,
                image,
                image == null ? null : Eval.EXAMPLE_IMAGES + "/" + task + "-" + i + ".png",
                prompt.query(),
                outcome.answers.get(i),
                expected(item),
                outcome.scored.metric(),
                outcome.scored.perItem()[i]));
      }
    }
  }

  private static ImageSource image(EvalItem item) {
    if (item instanceof EvalItem.Caption caption) {
      return caption.image();
    } else if (item instanceof EvalItem.Vqa vqa) {
      return vqa.image();
    }
    return null;
  }

  /** What an item's answer is scored against. */
  static List<String> expected(EvalItem item) {
    if (item instanceof EvalItem.Caption caption) {
      return caption.references();
    } else if (item instanceof EvalItem.Vqa vqa) {
      return vqa.answers();
    }
    return List.of(((EvalItem.TextTask) item).answer());
  }

  /** The prompts, continuations, answers and scores of one task at one shot count. */
  private record Outcome(
      List<Prompt> prompts, List<String> raw, List<String> answers, TaskScorer.Scored scored) {

    long droppedShots() {
      return prompts.stream().mapToLong(Prompt::droppedShots).sum();
    }

    long droppedShots(String subTask, List<EvalItem> items) {
      long dropped = 0;
      for (int i = 0; i < items.size(); i++) {
        EvalItem item = items.get(i);
        boolean inSubTask =
            item instanceof EvalItem.TextTask t
                ? t.task().equals(subTask)
                : item instanceof EvalItem.Vqa v && v.questionType().equals(subTask);
        if (inSubTask) {
          dropped += prompts.get(i).droppedShots();
        }
      }
      return dropped;
    }
  }
}
