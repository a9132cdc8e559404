package org.mm1lab.core.eval;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.data.UnknownWords;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.train.MultimodalModel;

/**
 * One-off questions to a loaded model, for {@code mm1 caption} and {@code mm1 ask}: zero-shot
 * prompts exactly as the evaluation builds them ({@code <image>Output:} and {@code <image>Question:
 * ... Short answer:}), answers as long as asked (by default as {@code mm1.eval.max-new-tokens}
 * allows), greedy or sampled.
 *
 * <p>A prompt and its answer must fit the model's context, the sequence length it was trained at: a
 * question too long for it is refused with the numbers, since a trained model cannot be given a
 * longer context.
 */
public final class ModelQueries {

  /** Continues prompts with token ids: the seam between the queries and a model. */
  @FunctionalInterface
  interface IdGenerator {
    /** Per prompt, the ids generated before the first end token. */
    List<int[]> generateIds(List<Prompt> prompts, int maxNewTokens, Sampling sampling);
  }

  /**
   * One answer and what produced it.
   *
   * @param prompt the prompt as text, {@code <image>} for the image
   * @param answer the answer, cut as the evaluation cuts it ({@link Answers})
   * @param promptTokens the prompt's tokens, the image's slots and {@code <bos>} included
   * @param answerTokens the tokens generated, up to (without) the end token
   * @param maxNewTokens the most tokens the answer could have had
   * @param sampling how the tokens were chosen
   */
  public record Answer(
      String prompt,
      String answer,
      int promptTokens,
      int answerTokens,
      int maxNewTokens,
      Sampling sampling) {}

  private final FewShotPrompts prompts;
  private final IdGenerator generator;
  private final EvalSettings settings;

  /**
   * @param model the model, initialised and loaded
   * @param tokenizer the run's tokenizer
   * @param preprocessor images to the encoder's input
   * @param settings the answer lengths ({@code mm1.eval.max-new-tokens}) and prompt templates
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
        new BatchGenerator(model, tokenizer, preprocessor, manager)::generateIds,
        settings);
  }

  /** Over any generator, for tests. */
  ModelQueries(FewShotPrompts prompts, IdGenerator generator, EvalSettings settings) {
    this.prompts = prompts;
    this.generator = generator;
    this.settings = settings;
  }

  /** The run's longest caption, in tokens ({@code mm1.eval.max-new-tokens.caption}). */
  public int captionTokens() {
    return settings.maxNewTokens("caption");
  }

  /** The run's longest short answer, in tokens ({@code mm1.eval.max-new-tokens.vqa}). */
  public int answerTokens() {
    return settings.maxNewTokens("vqa");
  }

  /** The model's context: prompt and answer together, in tokens. */
  public int contextLength() {
    return prompts.maxLength();
  }

  /** The words of a question that the model's tokenizer does not hold. */
  public UnknownWords unknownWords(String question) {
    return UnknownWords.in(prompts.tokenizer(), question);
  }

  /**
   * A caption of the image.
   *
   * @param maxNewTokens the most tokens of the caption, at least 1
   * @throws UserException when the prompt and that many tokens do not fit the model's context
   */
  public Answer caption(BufferedImage image, int maxNewTokens, Sampling sampling) {
    EvalItem query = new EvalItem.Caption("query", ImageSource.of(image), List.of());
    return answer("caption", query, maxNewTokens, sampling);
  }

  /**
   * A short answer to a question about the image.
   *
   * @param maxNewTokens the most tokens of the answer, at least 1
   * @throws UserException when the question is blank, or the prompt and that many tokens do not fit
   *     the model's context
   */
  public Answer ask(BufferedImage image, String question, int maxNewTokens, Sampling sampling) {
    if (question.isBlank()) {
      throw new UserException(
          "the question is empty; ask something about the image, e.g. \"what colour is the"
              + " circle?\"");
    }
    EvalItem query = new EvalItem.Vqa("query", ImageSource.of(image), question, List.of());
    return answer("vqa", query, maxNewTokens, sampling);
  }

  private Answer answer(String task, EvalItem query, int maxNewTokens, Sampling sampling) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
    }
    checkFits(task, prompts.zeroShotLength(query), maxNewTokens);
    Prompt prompt = prompts.build(query, List.of(), maxNewTokens);
    int[] ids = generator.generateIds(List.of(prompt), maxNewTokens, sampling).get(0);
    String raw = prompts.tokenizer().decode(ids).strip();
    return new Answer(
        prompt.query(),
        Answers.extract(task, raw),
        prompt.length(),
        ids.length,
        maxNewTokens,
        sampling);
  }

  /**
   * Refuses a prompt that leaves no room for the answer. A trained model's context is fixed, so the
   * advice is to ask for less, never to train with a longer sequence length.
   */
  private void checkFits(String task, int promptTokens, int maxNewTokens) {
    int context = prompts.maxLength();
    if (promptTokens + maxNewTokens <= context) {
      return;
    }
    String what =
        task.equals("caption")
            ? "the caption prompt"
            : "the question is too long for the model: its prompt";
    String fix;
    if (promptTokens < context) {
      int room = context - promptTokens;
      fix =
          task.equals("caption")
              ? "ask for at most " + room + " new tokens (--max-new-tokens " + room + ")"
              : "shorten the question, or ask for at most "
                  + room
                  + " new tokens (--max-new-tokens "
                  + room
                  + ")";
    } else {
      fix = task.equals("caption") ? "this model cannot caption" : "shorten the question";
    }
    throw new UserException(
        what
            + " takes "
            + promptTokens
            + " tokens (the image "
            + prompts.imageTokens()
            + " of them) and the answer up to "
            + maxNewTokens
            + " more, past the model's context of "
            + context
            + " tokens; "
            + fix);
  }
}
