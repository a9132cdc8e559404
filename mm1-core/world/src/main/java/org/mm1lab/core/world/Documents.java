package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Example.Chunk;

/**
 * Interleaved documents and text-only documents.
 *
 * <p>An interleaved document repeats one pattern over its images (the same template, the same side
 * of the image, numbered pictures), the way real pages with several figures do, so that a model can
 * pick up the pattern from earlier images in context and apply it to the next one. One kind of page
 * is a picture quiz (a question about each picture and its short answer), as on the web; its words
 * are those of the VQA prompts, which is what makes few-shot VQA a question the world can ask.
 */
final class Documents {

  /** What the texts of one document talk about. */
  private enum Topic {
    SHOWS,
    COUNT,
    COLOURS,
    SHAPES,
    WORD,
    DENSE,
    /** A quiz page: each picture with a question about it and its short answer. */
    QUIZ
  }

  /** Colour facts of the text-only documents (and the {@code colour-fact} task). */
  static final List<String[]> COLOUR_FACTS =
      List.of(
          new String[] {"snow is", "white"},
          new String[] {"grass is", "green"},
          new String[] {"the sky is", "blue"},
          new String[] {"coal is", "black"},
          new String[] {"a lemon is", "yellow"},
          new String[] {"a cherry is", "red"},
          new String[] {"an orange is", "orange"},
          new String[] {"a plum is", "purple"},
          new String[] {"a flamingo is", "pink"},
          new String[] {"chocolate is", "brown"},
          new String[] {"the sea is", "blue"},
          new String[] {"a banana is", "yellow"},
          new String[] {"a frog is", "green"},
          new String[] {"milk is", "white"},
          new String[] {"a tomato is", "red"},
          new String[] {"ash is", "gray"},
          new String[] {"a crow is", "black"},
          new String[] {"wood is", "brown"});

  private Documents() {}

  /**
   * An interleaved document of {@code minDocumentImages..maxDocumentImages} images, each with a
   * text about it in the document's one pattern.
   *
   * @param id the example id
   * @param itemSeed the document's seed; image {@code j}'s scene comes from part {@code j} of it
   */
  static Example.Interleaved interleaved(String id, long itemSeed, WorldSettings settings) {
    SplittableRandom rng = Streams.part(itemSeed, -1);
    int images = rng.nextInt(settings.minDocumentImages(), settings.maxDocumentImages() + 1);
    Topic topic = Topic.values()[rng.nextInt(Topic.values().length)];
    // A question about a picture comes after it, so quiz pages always put the image first.
    boolean textFirst = topic != Topic.QUIZ && rng.nextDouble() < 0.3;
    String label = Words.pick(rng, "image", "picture", "");
    List<Chunk> chunks = new ArrayList<>();
    if (rng.nextBoolean()) {
      chunks.add(
          new Chunk.TextChunk(
              Words.pick(
                  rng,
                  "here are " + Words.number(images) + " pictures.",
                  "a page about shapes.",
                  "this document has " + Words.number(images) + " pictures of shapes.")));
    }
    for (int j = 0; j < images; j++) {
      Scene scene = Scene.sample(Streams.part(itemSeed, j), settings);
      String subject = label.isEmpty() ? "this picture" : label + " " + (j + 1);
      String text = describe(topic, subject, scene, Streams.part(itemSeed, 1000 + j));
      Chunk image = new Chunk.Image(new SceneImage(scene, settings.renderSize()));
      if (textFirst) {
        chunks.add(new Chunk.TextChunk(text.substring(0, text.length() - 1) + ":"));
        chunks.add(image);
      } else {
        chunks.add(image);
        chunks.add(new Chunk.TextChunk(text));
      }
    }
    if (rng.nextDouble() < 0.3) {
      chunks.add(new Chunk.TextChunk("that is all."));
    }
    return new Example.Interleaved(id, chunks);
  }

  private static String describe(Topic topic, String subject, Scene scene, SplittableRandom rng) {
    int n = scene.objects().size();
    return switch (topic) {
      case SHOWS -> subject + " shows " + Captions.objectList(scene, false) + ".";
      case COUNT ->
          subject + " has " + Words.number(n) + " " + (n == 1 ? "object" : "objects") + ".";
      case COLOURS -> "the colours in " + subject + " are " + Captions.colourList(scene) + ".";
      case SHAPES -> subject + " has " + Captions.shapeCounts(scene) + ".";
      case WORD ->
          scene
              .word()
              .map(w -> "the word in " + subject + " is " + w.text() + ".")
              .orElse("there is no word in " + subject + ".");
      case DENSE -> subject + ": " + Captions.dense(rng, scene);
      case QUIZ -> {
        VqaWriter.Question question = Words.pick(rng, VqaWriter.questions(rng, scene));
        yield "question: " + question.text() + " short answer: " + question.truth() + ".";
      }
    };
  }

  /** A text-only document: several sentences of counting, patterns, sums, comparisons, facts. */
  static Example.Text text(String id, SplittableRandom rng) {
    int sentences = rng.nextInt(3, 7);
    List<String> out = new ArrayList<>();
    for (int s = 0; s < sentences; s++) {
      String[] pair =
          switch (rng.nextInt(5)) {
            case 0 -> countingSequence(rng);
            case 1 -> pattern(rng);
            case 2 -> sum(rng);
            case 3 -> {
              int a = rng.nextInt(1, Words.maxWordNumber() + 1);
              int b = rng.nextInt(0, a);
              yield new String[] {Words.number(a) + " is more than", Words.number(b)};
            }
            default -> Words.pick(rng, COLOUR_FACTS);
          };
      out.add(pair[0] + " " + pair[1] + ".");
    }
    return new Example.Text(id, String.join(" ", out));
  }

  /** {@code {"two, three, four,", "five"}}: counting up in words. */
  static String[] countingSequence(SplittableRandom rng) {
    int length = rng.nextInt(3, 6);
    int start = rng.nextInt(0, Words.maxWordNumber() - length + 1);
    List<String> items = new ArrayList<>();
    for (int k = 0; k < length; k++) {
      items.add(Words.number(start + k));
    }
    return new String[] {String.join(", ", items) + ",", Words.number(start + length)};
  }

  /** {@code {"red, blue, red, blue,", "red"}}: a repeating pattern of colours or shapes. */
  static String[] pattern(SplittableRandom rng) {
    boolean colours = rng.nextBoolean();
    int period = rng.nextInt(2, 4);
    List<String> unit = new ArrayList<>();
    while (unit.size() < period) {
      String item =
          colours
              ? Words.pick(rng, Colour.values()).word()
              : Words.pick(rng, ShapeKind.values()).word();
      if (!unit.contains(item)) {
        unit.add(item);
      }
    }
    int shown = rng.nextInt(period * 2, period * 3 + 1);
    List<String> items = new ArrayList<>();
    for (int k = 0; k < shown; k++) {
      items.add(unit.get(k % period));
    }
    return new String[] {String.join(", ", items) + ",", unit.get(shown % period)};
  }

  /** {@code {"two circles and three stars make", "five"}}: adding counts of shapes. */
  static String[] sum(SplittableRandom rng) {
    int a = rng.nextInt(1, Words.maxWordNumber());
    int b = rng.nextInt(1, Words.maxWordNumber() - a + 1);
    ShapeKind first = Words.pick(rng, ShapeKind.values());
    ShapeKind second;
    do {
      second = Words.pick(rng, ShapeKind.values());
    } while (second == first);
    String prompt =
        Words.number(a)
            + " "
            + first.word(a)
            + " and "
            + Words.number(b)
            + " "
            + second.word(b)
            + " make";
    return new String[] {prompt, Words.number(a + b)};
  }
}
