package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Example.Chunk;

/**
 * Interleaved documents and text-only documents.
 *
 * <p>Interleaved pages come in the kinds real interleaved corpora hold, drawn uniformly: labelled
 * pictures (numbered pictures, each with a sentence in the page's one pattern), picture quizzes (a
 * question about each picture and its short answer, in the words of the VQA prompts), galleries of
 * captioned photos (each photo with a caption in the page's one caption style), articles with
 * figures (prose, with numbered figures and their captions), and numbered lists. Every text is
 * written from the facts of its scene by the world's caption writers, so a page is true of its
 * images; the layouts repeat within a page, so that a model can pick up a page's pattern from its
 * earlier images and apply it to the next one, which is what few-shot prompting asks of it.
 */
final class Documents {

  /** The kinds of interleaved page. */
  enum Page {
    /** Numbered pictures, each with a sentence in one of the {@link Topic} patterns. */
    LABELLED,
    /** A quiz: each picture with a question about it and its short answer. */
    QUIZ,
    /** Captioned photos, one caption style per page, no numbering. */
    GALLERY,
    /** Prose with numbered figures, each with a caption, and sentences about them. */
    ARTICLE,
    /** A numbered list of pictures with a short description each. */
    LIST
  }

  /** What the texts of a labelled page talk about. */
  private enum Topic {
    SHOWS,
    COUNT,
    COLOURS,
    SHAPES,
    WORD,
    DENSE
  }

  /** The caption styles of a gallery (one per page). */
  private enum CaptionStyle {
    ALT_TEXT,
    OBJECTS,
    KINDS,
    PLACES,
    DENSE,
    COLOURS
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

  /** The kind of page of the document with this seed. */
  static Page page(long itemSeed) {
    return Page.values()[Streams.part(itemSeed, -1).nextInt(Page.values().length)];
  }

  /**
   * An interleaved document of {@code minDocumentImages..maxDocumentImages} images, each with a
   * text about it in the document's one pattern.
   *
   * @param id the example id
   * @param itemSeed the document's seed; image {@code j}'s scene comes from part {@code j} of it
   */
  static Example.Interleaved interleaved(String id, long itemSeed, WorldSettings settings) {
    SplittableRandom rng = Streams.part(itemSeed, -1);
    Page page = Page.values()[rng.nextInt(Page.values().length)];
    int images = rng.nextInt(settings.minDocumentImages(), settings.maxDocumentImages() + 1);
    List<Scene> scenes = new ArrayList<>();
    List<SplittableRandom> texts = new ArrayList<>();
    for (int j = 0; j < images; j++) {
      scenes.add(Scene.sample(Streams.part(itemSeed, j), settings));
      texts.add(Streams.part(itemSeed, 1000 + j));
    }
    Pages pages = new Pages(rng, scenes, texts, settings);
    List<Chunk> chunks =
        switch (page) {
          case LABELLED -> pages.labelled();
          case QUIZ -> pages.quiz();
          case GALLERY -> pages.gallery();
          case ARTICLE -> pages.article();
          case LIST -> pages.list();
        };
    return new Example.Interleaved(id, chunks);
  }

  /** Lays out one page: its random choices, its scenes and each scene's own text generator. */
  private record Pages(
      SplittableRandom rng,
      List<Scene> scenes,
      List<SplittableRandom> texts,
      WorldSettings settings) {

    private Chunk.Image image(int j) {
      return new Chunk.Image(new SceneImage(scenes.get(j), settings.renderSize()));
    }

    private static Chunk.TextChunk text(String text) {
      return new Chunk.TextChunk(text);
    }

    List<Chunk> labelled() {
      Topic topic = Words.pick(rng, Topic.values());
      boolean textFirst = rng.nextDouble() < 0.3;
      String label = Words.pick(rng, "image", "picture", "");
      List<Chunk> chunks = new ArrayList<>();
      int n = scenes.size();
      if (rng.nextBoolean()) {
        chunks.add(
            text(
                Words.pick(
                    rng,
                    "here are " + Words.number(n) + " pictures.",
                    "a page about shapes.",
                    "this document has " + Words.number(n) + " pictures of shapes.")));
      }
      for (int j = 0; j < n; j++) {
        String subject = label.isEmpty() ? "this picture" : label + " " + (j + 1);
        String sentence = describe(topic, subject, scenes.get(j), texts.get(j));
        if (textFirst) {
          chunks.add(text(sentence.substring(0, sentence.length() - 1) + ":"));
          chunks.add(image(j));
        } else {
          chunks.add(image(j));
          chunks.add(text(sentence));
        }
      }
      if (rng.nextDouble() < 0.3) {
        chunks.add(text("that is all."));
      }
      return chunks;
    }

    List<Chunk> quiz() {
      List<Chunk> chunks = new ArrayList<>();
      if (rng.nextBoolean()) {
        chunks.add(text(Words.pick(rng, "a picture quiz.", "test yourself.", "quiz time.")));
      }
      // A question about a picture comes after it.
      for (int j = 0; j < scenes.size(); j++) {
        SplittableRandom own = texts.get(j);
        VqaWriter.Question question = Words.pick(own, VqaWriter.questions(own, scenes.get(j)));
        chunks.add(image(j));
        chunks.add(
            text("question: " + question.text() + " short answer: " + question.truth() + "."));
      }
      return chunks;
    }

    List<Chunk> gallery() {
      CaptionStyle style = Words.pick(rng, CaptionStyle.values());
      List<Chunk> chunks = new ArrayList<>();
      if (rng.nextBoolean()) {
        chunks.add(
            text(
                Words.pick(
                    rng,
                    "my photos.",
                    "a gallery of shapes.",
                    "new pictures.",
                    "photos of today.")));
      }
      for (int j = 0; j < scenes.size(); j++) {
        chunks.add(image(j));
        chunks.add(text(caption(style, scenes.get(j), texts.get(j))));
      }
      return chunks;
    }

    private String caption(CaptionStyle style, Scene scene, SplittableRandom own) {
      return switch (style) {
        case ALT_TEXT -> Words.sentence(Captions.altText(own, scene, settings));
        case OBJECTS -> Captions.objectList(scene, true) + ".";
        case KINDS -> Captions.shapeCounts(scene) + ".";
        case PLACES -> Captions.placed(scene) + ".";
        case DENSE -> Captions.dense(own, scene);
        case COLOURS -> Captions.colourList(scene) + " shapes.";
      };
    }

    List<Chunk> article() {
      List<Chunk> chunks = new ArrayList<>();
      chunks.add(text(Words.pick(rng, "shapes and colours.", "about shapes.", "a short lesson.")));
      chunks.add(text(facts(rng.nextInt(1, 3))));
      for (int j = 0; j < scenes.size(); j++) {
        Scene scene = scenes.get(j);
        SplittableRandom own = texts.get(j);
        String figure = "figure " + (j + 1);
        chunks.add(text(Words.pick(own, "see " + figure + ":", figure + ":", "look at this:")));
        chunks.add(image(j));
        SceneObject o = Words.pick(own, scene.objects());
        String remark =
            switch (own.nextInt(4)) {
              case 0 ->
                  "in "
                      + figure
                      + " there "
                      + (scene.objects().size() == 1 ? "is " : "are ")
                      + Captions.shapeCounts(scene)
                      + ".";
              case 1 ->
                  "the " + o.shape().word() + " in " + figure + " is " + o.colour().word() + ".";
              case 2 ->
                  figure
                      + " has "
                      + Words.withArticle(o.colour().word() + " " + o.shape().word())
                      + " "
                      + Scene.positionPhrase(o.position())
                      + ".";
              default ->
                  scene
                      .word()
                      .map(w -> "the word in " + figure + " is " + w.text() + ".")
                      .orElse(figure + " shows " + Captions.objectList(scene, false) + ".");
            };
        chunks.add(text(remark + (own.nextBoolean() ? " " + facts(1) : "")));
      }
      return chunks;
    }

    /** A few sentences of the text-only documents, as the prose between figures. */
    private String facts(int count) {
      List<String> out = new ArrayList<>();
      for (int s = 0; s < count; s++) {
        String[] pair = fact(rng);
        out.add(pair[0] + " " + pair[1] + ".");
      }
      return String.join(" ", out);
    }

    List<Chunk> list() {
      List<Chunk> chunks = new ArrayList<>();
      chunks.add(
          text(Words.pick(rng, "a list of pictures.", "things i drew.", "shapes, one by one.")));
      boolean sized = rng.nextBoolean();
      for (int j = 0; j < scenes.size(); j++) {
        chunks.add(text((j + 1) + "."));
        chunks.add(image(j));
        Scene scene = scenes.get(j);
        String what =
            scene.objects().size() == 1
                ? Words.withArticle(sized ? scene.objects().get(0).describe() : kind(scene)) + "."
                : Captions.objectList(scene, sized) + ".";
        chunks.add(text(what));
      }
      return chunks;
    }

    private static String kind(Scene scene) {
      SceneObject o = scene.objects().get(0);
      return o.colour().word() + " " + o.shape().word();
    }
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
    };
  }

  /** A text-only document: several sentences of counting, patterns, sums, comparisons, facts. */
  static Example.Text text(String id, SplittableRandom rng) {
    int sentences = rng.nextInt(3, 7);
    List<String> out = new ArrayList<>();
    for (int s = 0; s < sentences; s++) {
      String[] pair = fact(rng);
      out.add(pair[0] + " " + pair[1] + ".");
    }
    return new Example.Text(id, String.join(" ", out));
  }

  /** One sentence of a text-only document: counting, a pattern, a sum, a comparison or a fact. */
  static String[] fact(SplittableRandom rng) {
    return switch (rng.nextInt(5)) {
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
