package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * VQA questions about a scene, each with 10 annotator answers. Most annotators answer right; with
 * probability {@link WorldSettings#annotatorError()} each gives a near-miss instead (a neighbouring
 * colour, a count off by one, a misspelt word, half of a position, a flipped yes/no, a look-alike
 * shape), as real annotators do. At most {@value #MAX_WRONG} of 10 err, so the majority answer is
 * always the truth.
 */
final class VqaWriter {

  /** Answers per question, as in VQAv2. */
  static final int ANSWERS = 10;

  /** Most near-misses per question: the right answer keeps a clear majority. */
  static final int MAX_WRONG = 4;

  /** The kinds of question, as the evaluation breaks accuracy down by them. */
  static final List<String> KINDS =
      List.of("count", "count-kind", "exists", "colour", "position", "shape", "word");

  /**
   * A question with its kind (one of {@link #KINDS}), its true answer and the near-misses
   * annotators may give.
   */
  record Question(String kind, String text, String truth, List<String> nearMisses) {}

  private VqaWriter() {}

  /** The questions that make sense for the scene, in a random order; at least three. */
  static List<Question> questions(SplittableRandom rng, Scene scene) {
    List<Question> out = new ArrayList<>();
    List<SceneObject> objects = scene.objects();
    int n = objects.size();
    out.add(new Question("count", "how many objects are there?", Words.number(n), counts(n)));

    ShapeKind asked = Words.pick(rng, ShapeKind.values());
    if (rng.nextBoolean()) {
      asked = Words.pick(rng, objects).shape(); // half the time about a kind that is there
    }
    int c = scene.count(asked);
    out.add(
        new Question(
            "count-kind",
            "how many " + asked.plural() + " are there?",
            Words.number(c),
            counts(c)));

    SceneObject target = Words.pick(rng, objects);
    Colour colour = target.colour();
    ShapeKind shape = target.shape();
    if (rng.nextBoolean()) {
      colour = Words.pick(rng, Colour.values());
      shape = Words.pick(rng, ShapeKind.values());
    }
    String yes = scene.contains(colour, shape) ? "yes" : "no";
    out.add(
        new Question(
            "exists",
            "is there " + Words.withArticle(colour.word() + " " + shape.word()) + "?",
            yes,
            List.of(yes.equals("yes") ? "no" : "yes")));

    for (SceneObject o : objects) {
      if (scene.count(o.shape()) == 1) {
        out.add(
            new Question(
                "colour",
                "what colour is the " + o.shape().word() + "?",
                o.colour().word(),
                o.colour().nearMisses().stream().map(Colour::word).toList()));
        out.add(
            new Question(
                "position",
                "where is the " + o.shape().word() + "?",
                o.position(),
                positions(o.position())));
        break;
      }
    }
    for (SceneObject o : objects) {
      if (scene.count(o.colour()) == 1) {
        out.add(
            new Question(
                "shape",
                "what shape is the " + o.colour().word() + " object?",
                o.shape().word(),
                o.shape().nearMisses().stream().map(ShapeKind::word).toList()));
        break;
      }
    }
    scene
        .word()
        .ifPresent(
            w ->
                out.add(
                    new Question(
                        "word",
                        Words.pick(rng, "what word is written?", "what does the text say?"),
                        w.text(),
                        misspellings(rng, w.text()))));
    Collections.shuffle(out, new java.util.Random(rng.nextLong()));
    return out;
  }

  /** Ten answers: the truth, with some near-misses in random places. */
  static List<String> answers(SplittableRandom rng, Question q, double errorRate) {
    List<String> answers = new ArrayList<>();
    int wrong = 0;
    for (int a = 0; a < ANSWERS; a++) {
      if (wrong < MAX_WRONG && !q.nearMisses().isEmpty() && rng.nextDouble() < errorRate) {
        answers.add(Words.pick(rng, q.nearMisses()));
        wrong++;
      } else {
        answers.add(q.truth());
      }
    }
    return answers;
  }

  private static List<String> counts(int n) {
    return n == 0 ? List.of(Words.number(1)) : List.of(Words.number(n - 1), Words.number(n + 1));
  }

  /** Half of a two-word position, or the centre for a one-word one. */
  private static List<String> positions(String position) {
    if (position.contains(" ")) {
      return List.of(position.split(" "));
    }
    return position.equals("center") ? List.of("middle") : List.of("center");
  }

  /** The word with one letter changed. */
  private static List<String> misspellings(SplittableRandom rng, String word) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      char[] letters = word.toCharArray();
      int at = rng.nextInt(letters.length);
      letters[at] = (char) ('a' + (letters[at] - 'a' + 1 + rng.nextInt(25)) % 26);
      out.add(new String(letters));
    }
    return out;
  }
}
