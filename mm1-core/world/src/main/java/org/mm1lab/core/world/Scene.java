package org.mm1lab.core.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What an image shows: shapes on a light background and, sometimes, a short written word. A scene
 * is a pure function of the random generator it is sampled from; the {@link SceneRenderer} turns it
 * into pixels at any resolution and the caption writers into text, both from the same facts.
 * Geometry is in fractions of the image side, so the scene has no resolution of its own.
 *
 * @param background background colour, 0xRRGGBB (light, varied slightly per image)
 * @param objects the shapes, in reading order (top to bottom, then left to right); they do not
 *     overlap
 * @param word the written word, if any; its box overlaps no shape
 */
public record Scene(int background, List<SceneObject> objects, Optional<WrittenWord> word) {

  /** Words written in images; half the words are random letters instead. */
  static final List<String> WORD_LIST =
      List.of(
          "cat", "dog", "sun", "map", "box", "key", "cup", "hat", "pen", "owl", "tree", "fish",
          "moon", "bird", "lamp", "rose", "cake", "ship", "frog", "milk", "door", "kite", "apple",
          "lemon", "house", "river", "cloud", "stone", "mango", "tiger", "bread", "chair", "plant");

  /** The listed words that images may show (the other half of written words are random letters). */
  public static List<String> listedWords() {
    return WORD_LIST;
  }

  /** Placement attempts per shape before giving up on it (dense settings place fewer shapes). */
  private static final int PLACEMENT_TRIES = 40;

  /** Space kept free around every box and along the edges, a fraction of the side. */
  static final double GAP = 1.0 / 64;

  /** A bold monospaced glyph's advance as a fraction of the font size, with some slack. */
  static final double GLYPH_ADVANCE = 0.62;

  /** The box of a word is this many font sizes high: room for ascent and descent. */
  static final double LINE_HEIGHT = 1.25;

  public Scene {
    objects = List.copyOf(objects);
    Objects.requireNonNull(word, "word");
  }

  /**
   * Samples a scene. The word (if the image gets one) is placed first so that its box is never
   * crowded out, then the shapes, each at a random free spot. When a shape finds no free spot in
   * {@value #PLACEMENT_TRIES} tries it is dropped, so with crowded settings an image may hold fewer
   * than {@link WorldSettings#minObjects()} shapes (never fewer than one).
   */
  public static Scene sample(SplittableRandom rng, WorldSettings settings) {
    int background =
        rgb(236 + rng.nextInt(-12, 13), 236 + rng.nextInt(-12, 13), 236 + rng.nextInt(-12, 13));
    List<double[]> boxes = new ArrayList<>();

    Optional<WrittenWord> word = Optional.empty();
    if (rng.nextDouble() < settings.wordProbability()) {
      String text = sampleWord(rng);
      double font = between(rng, settings.minTextFraction(), settings.maxTextFraction());
      double width = GLYPH_ADVANCE * font * text.length() + GAP;
      double height = LINE_HEIGHT * font;
      for (int t = 0; t < PLACEMENT_TRIES && word.isEmpty(); t++) {
        double left = between(rng, GAP, 1 - GAP - width);
        double top = between(rng, GAP, 1 - GAP - height);
        double[] box = {left, top, width, height};
        if (free(box, boxes)) {
          boxes.add(box);
          int ink = rgb(rng.nextInt(10, 50), rng.nextInt(10, 50), rng.nextInt(10, 50));
          word =
              Optional.of(
                  new WrittenWord(
                      text,
                      left,
                      top,
                      width,
                      height,
                      font,
                      ink,
                      position(left + width / 2, top + height / 2)));
        }
      }
    }

    int count = rng.nextInt(settings.minObjects(), settings.maxObjects() + 1);
    double minSize = settings.minObjectFraction();
    double maxSize = settings.maxObjectFraction();
    double middle = (minSize + maxSize) / 2.0;
    ShapeKind[] shapes = ShapeKind.values();
    Colour[] colours = Colour.values();
    List<SceneObject> objects = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ShapeKind shape = shapes[rng.nextInt(shapes.length)];
      Colour colour = colours[rng.nextInt(colours.length)];
      double size = between(rng, minSize, maxSize);
      double w = size;
      double h = SceneObject.height(shape, size);
      for (int t = 0; t < PLACEMENT_TRIES; t++) {
        double left = between(rng, GAP, 1 - GAP - w);
        double top = between(rng, GAP, 1 - GAP - h);
        double[] box = {left, top, w, h};
        if (free(box, boxes)) {
          boxes.add(box);
          double cx = left + w / 2;
          double cy = top + h / 2;
          String sizeWord = size < middle ? "small" : "large";
          objects.add(new SceneObject(shape, colour, cx, cy, size, sizeWord, position(cx, cy)));
          break;
        }
      }
    }
    if (objects.isEmpty()) {
      // Only possible with extreme settings: put one minimal shape in the first free spot.
      objects.add(fallback(rng, boxes, minSize, middle));
    }
    objects.sort(
        Comparator.comparingInt((SceneObject o) -> verticalBand(o.centerY()))
            .thenComparingDouble(SceneObject::centerX)
            .thenComparingDouble(SceneObject::centerY));
    return new Scene(background, objects, word);
  }

  /** Uniform in [lo, hi]; lo when the range is empty. */
  private static double between(SplittableRandom rng, double lo, double hi) {
    return hi > lo ? lo + (hi - lo) * rng.nextDouble() : lo;
  }

  private static SceneObject fallback(
      SplittableRandom rng, List<double[]> boxes, double size, double middle) {
    ShapeKind shape = Words.pick(rng, ShapeKind.values());
    Colour colour = Words.pick(rng, Colour.values());
    double h = SceneObject.height(shape, size);
    for (double top = GAP; top + h < 1 - GAP; top += GAP) {
      for (double left = GAP; left + size < 1 - GAP; left += GAP) {
        if (free(new double[] {left, top, size, h}, boxes)) {
          double cx = left + size / 2;
          double cy = top + h / 2;
          String sizeWord = size < middle ? "small" : "large";
          return new SceneObject(shape, colour, cx, cy, size, sizeWord, position(cx, cy));
        }
      }
    }
    throw new IllegalStateException("no room for a single shape; lower text or object sizes");
  }

  private static String sampleWord(SplittableRandom rng) {
    if (rng.nextBoolean()) {
      return WORD_LIST.get(rng.nextInt(WORD_LIST.size()));
    }
    int length = rng.nextInt(3, 6);
    StringBuilder letters = new StringBuilder();
    for (int i = 0; i < length; i++) {
      letters.append((char) ('a' + rng.nextInt(26)));
    }
    return letters.toString();
  }

  /** Inside the image with a {@link #GAP} margin and at least that far from every other box. */
  private static boolean free(double[] box, List<double[]> boxes) {
    if (box[0] < GAP || box[1] < GAP || box[0] + box[2] > 1 - GAP || box[1] + box[3] > 1 - GAP) {
      return false;
    }
    for (double[] other : boxes) {
      boolean apart =
          box[0] + box[2] + GAP <= other[0]
              || other[0] + other[2] + GAP <= box[0]
              || box[1] + box[3] + GAP <= other[1]
              || other[1] + other[3] + GAP <= box[1];
      if (!apart) {
        return false;
      }
    }
    return true;
  }

  private static int verticalBand(double y) {
    return Math.min(2, (int) (3 * y));
  }

  /**
   * The position words for a point given in fractions of the side: the image is cut in thirds each
   * way; {@code top left}, {@code top}, {@code top right}, {@code left}, {@code center}, {@code
   * right}, {@code bottom left}, {@code bottom}, {@code bottom right}.
   */
  static String position(double x, double y) {
    String vertical =
        switch (verticalBand(y)) {
          case 0 -> "top";
          case 1 -> "";
          default -> "bottom";
        };
    String horizontal =
        switch (Math.min(2, (int) (3 * x))) {
          case 0 -> "left";
          case 1 -> "";
          default -> "right";
        };
    if (vertical.isEmpty() && horizontal.isEmpty()) {
      return "center";
    }
    if (vertical.isEmpty()) {
      return horizontal;
    }
    return horizontal.isEmpty() ? vertical : vertical + " " + horizontal;
  }

  /** {@code in the center} or {@code at the top left}: a position as a phrase. */
  static String positionPhrase(String position) {
    return position.equals("center") ? "in the center" : "at the " + position;
  }

  private static int rgb(int r, int g, int b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** The written word's letters, if any. */
  public Optional<String> wordText() {
    return word.map(WrittenWord::text);
  }

  /** How many shapes of this kind the scene holds. */
  public int count(ShapeKind shape) {
    return (int) objects.stream().filter(o -> o.shape() == shape).count();
  }

  /** How many shapes of this colour the scene holds. */
  public int count(Colour colour) {
    return (int) objects.stream().filter(o -> o.colour() == colour).count();
  }

  /** Whether the scene holds a shape of this colour and kind. */
  public boolean contains(Colour colour, ShapeKind shape) {
    return objects.stream().anyMatch(o -> o.colour() == colour && o.shape() == shape);
  }

  /**
   * A 64-bit fingerprint of everything the scene shows (for checking that streams do not overlap).
   */
  public long fingerprint() {
    long h = 0x2545F4914F6CDD1DL;
    for (char c : toString().toCharArray()) {
      h = Streams.scramble(h ^ c);
    }
    return h;
  }
}
