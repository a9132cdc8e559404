package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The world's caption writers. All text is lower-case, single-spaced, with punctuation glued to the
 * word before it, so that {@code decode(encode(t))} of the world tokenizer gives it back.
 */
final class Captions {

  private Captions() {}

  /**
   * An alt-text-quality caption: short and partial (one shape, or the written word), and with
   * probability {@link WorldSettings#altTextNoise()} off: a wrong colour or a generic phrase.
   */
  static String altText(SplittableRandom rng, Scene scene, WorldSettings settings) {
    List<SceneObject> objects = scene.objects();
    SceneObject o = Words.pick(rng, objects);
    if (rng.nextDouble() < settings.altTextNoise()) {
      if (rng.nextBoolean()) {
        return Words.pick(
            rng,
            "a picture of shapes.",
            "some shapes",
            "an image with shapes.",
            "a picture.",
            "shapes and colours");
      }
      List<Colour> wrong = new ArrayList<>(List.of(Colour.values()));
      wrong.remove(o.colour());
      Colour c = Words.pick(rng, wrong);
      return objectAlt(rng, c.word(), o, objects.size());
    }
    if (scene.word().isPresent() && rng.nextDouble() < 0.3) {
      String w = scene.word().get().text();
      return Words.pick(
          rng,
          "the word " + w + ".",
          "a sign that says " + w,
          w,
          "text: " + w,
          "a picture with the word " + w + ".");
    }
    return objectAlt(rng, o.colour().word(), o, objects.size());
  }

  private static String objectAlt(SplittableRandom rng, String colour, SceneObject o, int count) {
    String shape = o.shape().word();
    return switch (rng.nextInt(count > 1 ? 7 : 6)) {
      case 0 -> Words.withArticle(colour + " " + shape) + ".";
      case 1 -> colour + " " + shape;
      case 2 ->
          "a picture of " + Words.withArticle(o.sizeWord() + " " + colour + " " + shape) + ".";
      case 3 -> Words.withArticle(shape) + ".";
      case 4 -> colour + " " + shape + " " + Scene.positionPhrase(o.position());
      case 5 -> "a photo of " + Words.withArticle(colour + " " + shape);
      default -> Words.withArticle(colour + " " + shape) + " and other shapes.";
    };
  }

  /**
   * A dense synthetic caption in the manner of VeCap: how many shapes, then every shape with its
   * size, colour, kind and position, then the written word and where it is.
   */
  static String dense(SplittableRandom rng, Scene scene) {
    List<String> sentences = new ArrayList<>();
    int n = scene.objects().size();
    String counted = Words.number(n) + " " + (n == 1 ? "object" : "objects");
    sentences.add(
        Words.pick(
            rng,
            "this image shows " + counted + ".",
            "the picture contains " + counted + ".",
            "a scene with " + counted + "."));
    for (SceneObject o : scene.objects()) {
      String thing = Words.withArticle(o.describe());
      String where = Scene.positionPhrase(o.position());
      sentences.add(
          switch (rng.nextInt(3)) {
            case 0 -> "there is " + thing + " " + where + ".";
            case 1 -> thing + " is " + where + ".";
            default -> where + " is " + thing + ".";
          });
    }
    if (scene.word().isPresent()) {
      WrittenWord w = scene.word().get();
      String where = Scene.positionPhrase(w.position());
      sentences.add(
          Words.pick(
              rng,
              "the word " + w.text() + " is written " + where + ".",
              "the text " + where + " reads " + w.text() + ".",
              where + " the word " + w.text() + " is written."));
    } else if (rng.nextBoolean()) {
      sentences.add("there is no text.");
    }
    return String.join(" ", sentences);
  }

  /** A short description of the shapes: {@code a red circle, a blue star and a green ring}. */
  static String objectList(Scene scene, boolean withSize) {
    List<String> items = new ArrayList<>();
    for (SceneObject o : scene.objects()) {
      String phrase =
          (withSize ? o.sizeWord() + " " : "") + o.colour().word() + " " + o.shape().word();
      items.add(Words.withArticle(phrase));
    }
    return Words.list(items);
  }

  /** The kinds with counts: {@code a circle and two stars}. */
  static String shapeCounts(Scene scene) {
    Map<ShapeKind, Integer> counts = new LinkedHashMap<>();
    for (SceneObject o : scene.objects()) {
      counts.merge(o.shape(), 1, Integer::sum);
    }
    List<String> items = new ArrayList<>();
    counts.forEach(
        (shape, c) ->
            items.add(
                c == 1 ? Words.withArticle(shape.word()) : Words.number(c) + " " + shape.plural()));
    return Words.list(items);
  }

  /** Where the first two shapes are: {@code a red circle at the top left and a blue star}. */
  static String placed(Scene scene) {
    List<String> placed = new ArrayList<>();
    for (SceneObject o : scene.objects().subList(0, Math.min(2, scene.objects().size()))) {
      placed.add(
          Words.withArticle(o.colour().word() + " " + o.shape().word())
              + " "
              + Scene.positionPhrase(o.position()));
    }
    return Words.list(placed);
  }

  /** The distinct colours: {@code red and blue}. */
  static String colourList(Scene scene) {
    LinkedHashSet<String> colours = new LinkedHashSet<>();
    scene.objects().forEach(o -> colours.add(o.colour().word()));
    return Words.list(new ArrayList<>(colours));
  }

  /**
   * Five human-like reference captions for evaluation: paraphrases of the truth at different detail
   * (everything; counts and kinds; positions; the word or the main shape; colours only).
   */
  static List<String> references(SplittableRandom rng, Scene scene) {
    List<SceneObject> objects = scene.objects();
    int n = objects.size();
    List<String> refs = new ArrayList<>();
    String word = scene.word().map(w -> " and the word " + w.text()).orElse("");
    refs.add(
        Words.pick(
            rng,
            Words.number(n)
                + " "
                + (n == 1 ? "shape" : "shapes")
                + ": "
                + objectList(scene, true)
                + word
                + ".",
            "a picture of " + objectList(scene, true) + word + "."));
    refs.add(
        Words.pick(
            rng,
            "a picture with " + shapeCounts(scene) + ".",
            "an image of " + shapeCounts(scene) + "."));
    refs.add(placed(scene) + ".");
    SceneObject main =
        objects.stream()
            .filter(o -> o.sizeWord().equals("large"))
            .findFirst()
            .orElse(objects.get(0));
    if (scene.word().isPresent()) {
      refs.add(
          Words.pick(
              rng,
              "the word "
                  + scene.word().get().text()
                  + " written near "
                  + Words.withArticle(main.colour().word() + " " + main.shape().word())
                  + ".",
              "a sign that says " + scene.word().get().text() + "."));
    } else {
      refs.add(Words.withArticle(main.describe()) + Words.pick(rng, ".", " and some shapes."));
    }
    refs.add(
        Words.pick(rng, colourList(scene) + " shapes.", "some " + colourList(scene) + " shapes."));
    return refs;
  }
}
