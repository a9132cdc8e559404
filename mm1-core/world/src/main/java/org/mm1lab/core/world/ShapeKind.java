package org.mm1lab.core.world;

import java.util.List;
import java.util.Locale;

/** The shapes of the world, named with the world tokenizer's shape words. */
public enum ShapeKind {
  CIRCLE("circles"),
  SQUARE("squares"),
  TRIANGLE("triangles"),
  STAR("stars"),
  CROSS("crosses"),
  DIAMOND("diamonds"),
  RING("rings"),
  BAR("bars");

  private final String plural;

  ShapeKind(String plural) {
    this.plural = plural;
  }

  /** The word in captions, for example {@code circle}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The plural, for example {@code crosses}. */
  public String plural() {
    return plural;
  }

  /** The word for {@code count} of these: singular for one, plural otherwise. */
  public String word(int count) {
    return count == 1 ? word() : plural;
  }

  /** Shapes that look alike at low resolution (for VQA near-misses). */
  public List<ShapeKind> nearMisses() {
    return switch (this) {
      case CIRCLE -> List.of(RING, SQUARE);
      case SQUARE -> List.of(DIAMOND, BAR);
      case TRIANGLE -> List.of(STAR, DIAMOND);
      case STAR -> List.of(CROSS, TRIANGLE);
      case CROSS -> List.of(STAR);
      case DIAMOND -> List.of(SQUARE, TRIANGLE);
      case RING -> List.of(CIRCLE);
      case BAR -> List.of(SQUARE);
    };
  }
}
