package org.mm1lab.core.eval;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.train.MultimodalModel;

/**
 * One-off questions to a loaded model, for {@code mm1 caption} and {@code mm1 ask}: zero-shot
 * prompts exactly as the evaluation builds them ({@code <image>Output:} and {@code <image>Question:
 * ... Short answer:}), greedy answers, as long as {@code mm1.eval.max-new-tokens} allows.
 */
public final class ModelQueries {

  private final FewShotPrompts prompts;
  private final Generator generator;
  private final EvalSettings settings;

  /**
   * @param model the model, initialised and loaded
   * @param tokenizer the run's tokenizer
   * @param preprocessor images to the encoder's input
   * @param settings the answer lengths ({@code mm1.eval.max-new-tokens})
   * @param maxSequenceLength the model's sequence length ({@code mm1.train.seq-len})
   * @param manager on the model's device
   */
  public ModelQueries(
      MultimodalModel model,
      Tokenizer tokenizer,
      ImagePreprocessor preprocessor,
      EvalSettings settings,
      int maxSequenceLength,
      NDManager manager) {
    this(
        new FewShotPrompts(
            tokenizer,
            model.components().connector().tokens(),
            maxSequenceLength,
            settings.prompts()),
        new BatchGenerator(model, tokenizer, preprocessor, manager),
        settings);
  }

  /** Over any generator, for tests. */
  ModelQueries(FewShotPrompts prompts, Generator generator, EvalSettings settings) {
    this.prompts = prompts;
    this.generator = generator;
    this.settings = settings;
  }

  /** A caption of the image. */
  public String caption(BufferedImage image) {
    EvalItem query = new EvalItem.Caption("query", ImageSource.of(image), List.of());
    return answer("caption", query);
  }

  /** A short answer to a question about the image. */
  public String ask(BufferedImage image, String question) {
    EvalItem query = new EvalItem.Vqa("query", ImageSource.of(image), question, List.of());
    return answer("vqa", query);
  }

  private String answer(String task, EvalItem query) {
    int maxNewTokens = settings.maxNewTokens(task);
    Prompt prompt = prompts.build(query, List.of(), maxNewTokens);
    return Answers.extract(task, generator.generate(List.of(prompt), maxNewTokens).get(0));
  }
}
