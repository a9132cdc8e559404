package org.mm1lab.core.data;

import java.util.List;
import java.util.Objects;

/** One held-out evaluation item. */
public sealed interface EvalItem permits EvalItem.Caption, EvalItem.Vqa, EvalItem.TextTask {

  /** A stable identifier. */
  String id();

  /**
   * Captioning: an image and its human-quality reference captions (5 in the world's sets), scored
   * with CIDEr-D.
   */
  record Caption(String id, ImageSource image, List<String> references) implements EvalItem {
    public Caption {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(image, "image");
      references = List.copyOf(references);
    }
  }

  /**
   * Visual question answering: a question about an image and 10 human answers (which may disagree),
   * scored with VQA accuracy.
   *
   * @param id the question's id
   * @param image the image asked about
   * @param question the question
   * @param answers the human answers
   * @param questionType the kind of question (VQA v2's {@code question_type}, such as {@code how
   *     many}; the world's kinds such as {@code shape}), by which accuracy is also broken down;
   *     empty when unknown
   */
  record Vqa(
      String id, ImageSource image, String question, List<String> answers, String questionType)
      implements EvalItem {
    public Vqa {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(question, "question");
      answers = List.copyOf(answers);
      Objects.requireNonNull(questionType, "questionType");
    }

    /** A question of no known type. */
    public Vqa(String id, ImageSource image, String question, List<String> answers) {
      this(id, image, question, answers, "");
    }
  }

  /** A text-only task: a prompt and the expected short answer, scored by exact match. */
  record TextTask(String id, String task, String prompt, String answer) implements EvalItem {
    public TextTask {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(answer, "answer");
    }
  }
}
