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
 * into pixels and the caption writers into text, both from the same facts.
 *
 * @param imageSize side of the image in pixels
 * @param background background colour, 0xRRGGBB (light, varied slightly per image)
 * @param objects the shapes, in reading order (top to bottom, then left to right); they do not
 *     overlap
 * @param word the written word, if any; its box overlaps no shape
 */
public record Scene(
    int imageSize, int background, List<SceneObject> objects, Optional<WrittenWord> word) {

  /** Words written in images; half the words are random letters instead. */
  static final List<String> WORD_LIST =
      List.of(
          "cat", "dog", "sun", "map", "box", "key", "cup", "hat", "pen", "owl", "tree", "fish",
          "moon", "bird", "lamp", "rose", "cake", "ship", "frog", "milk", "door", "kite", "apple",
          "lemon", "house", "river", "cloud", "stone", "mango", "tiger", "bread", "chair", "plant");

  /** Placement attempts per shape before giving up on it (dense settings place fewer shapes). */
  private static final int PLACEMENT_TRIES = 40;

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
    int n = settings.imageSize();
    int background =
        rgb(236 + rng.nextInt(-12, 13), 236 + rng.nextInt(-12, 13), 236 + rng.nextInt(-12, 13));
    List<int[]> boxes = new ArrayList<>();

    Optional<WrittenWord> word = Optional.empty();
    if (rng.nextDouble() < settings.wordProbability()) {
      String text = sampleWord(rng);
      // A monospaced glyph is about 0.6 of the font size wide; keep a pixel of margin around.
      int width = (int) Math.ceil(0.6 * settings.textSize() * text.length()) + 2;
      int height = settings.textSize() + 2;
      for (int t = 0; t < PLACEMENT_TRIES && word.isEmpty(); t++) {
        int left = rng.nextInt(1, Math.max(2, n - width));
        int top = rng.nextInt(1, Math.max(2, n - height));
        int[] box = {left, top, width, height};
        if (free(box, boxes, n)) {
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
                      ink,
                      position(left + width / 2, top + height / 2, n)));
        }
      }
    }

    int count = rng.nextInt(settings.minObjects(), settings.maxObjects() + 1);
    int minPx = (int) Math.round(settings.minObjectFraction() * n);
    int maxPx = Math.max(minPx, (int) Math.round(settings.maxObjectFraction() * n));
    double middle = (minPx + maxPx) / 2.0;
    ShapeKind[] shapes = ShapeKind.values();
    Colour[] colours = Colour.values();
    List<SceneObject> objects = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ShapeKind shape = shapes[rng.nextInt(shapes.length)];
      Colour colour = colours[rng.nextInt(colours.length)];
      int size = rng.nextInt(minPx, maxPx + 1);
      for (int t = 0; t < PLACEMENT_TRIES; t++) {
        SceneObject probe = new SceneObject(shape, colour, 0, 0, size, "", "");
        int w = probe.width();
        int h = probe.height();
        int left = rng.nextInt(1, Math.max(2, n - w));
        int top = rng.nextInt(1, Math.max(2, n - h));
        int[] box = {left, top, w, h};
        if (free(box, boxes, n)) {
          boxes.add(box);
          int cx = left + w / 2;
          int cy = top + h / 2;
          String sizeWord = size < middle ? "small" : "large";
          objects.add(new SceneObject(shape, colour, cx, cy, size, sizeWord, position(cx, cy, n)));
          break;
        }
      }
    }
    if (objects.isEmpty()) {
      // Only possible with extreme settings: put one minimal shape in the first free spot.
      objects.add(fallback(rng, boxes, n, minPx, middle));
    }
    objects.sort(
        Comparator.comparingInt((SceneObject o) -> verticalBand(o.centerY(), n))
            .thenComparingInt(SceneObject::centerX)
            .thenComparingInt(SceneObject::centerY));
    return new Scene(n, background, objects, word);
  }

  private static SceneObject fallback(
      SplittableRandom rng, List<int[]> boxes, int n, int size, double middle) {
    ShapeKind shape = Words.pick(rng, ShapeKind.values());
    Colour colour = Words.pick(rng, Colour.values());
    for (int top = 1; top + size < n; top++) {
      for (int left = 1; left + size < n; left++) {
        if (free(new int[] {left, top, size, size}, boxes, n)) {
          int cx = left + size / 2;
          int cy = top + size / 2;
          String sizeWord = size < middle ? "small" : "large";
          return new SceneObject(shape, colour, cx, cy, size, sizeWord, position(cx, cy, n));
        }
      }
    }
    throw new IllegalStateException(
        "no room for a single shape; lower text-size or object sizes, or raise image-size");
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

  /** Inside the image with a 1 px margin and at least 1 px from every other box. */
  private static boolean free(int[] box, List<int[]> boxes, int n) {
    if (box[0] < 1 || box[1] < 1 || box[0] + box[2] > n - 1 || box[1] + box[3] > n - 1) {
      return false;
    }
    for (int[] other : boxes) {
      boolean apart =
          box[0] + box[2] + 1 <= other[0]
              || other[0] + other[2] + 1 <= box[0]
              || box[1] + box[3] + 1 <= other[1]
              || other[1] + other[3] + 1 <= box[1];
      if (!apart) {
        return false;
      }
    }
    return true;
  }

  private static int verticalBand(int y, int n) {
    return 3 * y / n;
  }

  /**
   * The position words for a point: the image is cut in thirds each way; {@code top left}, {@code
   * top}, {@code top right}, {@code left}, {@code center}, {@code right}, {@code bottom left},
   * {@code bottom}, {@code bottom right}.
   */
  static String position(int x, int y, int n) {
    String vertical =
        switch (Math.min(2, 3 * y / n)) {
          case 0 -> "top";
          case 1 -> "";
          default -> "bottom";
        };
    String horizontal =
        switch (Math.min(2, 3 * x / n)) {
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
