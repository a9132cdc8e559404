package org.mm1lab.core.world;

import java.util.Objects;

/**
 * One shape in a scene, with the words that describe it. The words are derived from the geometry
 * when the scene is sampled, so captions and answers always agree with the pixels.
 *
 * @param shape the shape
 * @param colour its fill colour
 * @param centerX centre column in pixels
 * @param centerY centre row in pixels
 * @param size side of its bounding square in pixels (a bar is {@code size} wide and {@link
 *     #height()} high)
 * @param sizeWord {@code small} or {@code large}, relative to the middle of the configured size
 *     range
 * @param position where it is: "top left", "top", "center", ... (thirds of the image)
 */
public record SceneObject(
    ShapeKind shape,
    Colour colour,
    int centerX,
    int centerY,
    int size,
    String sizeWord,
    String position) {

  public SceneObject {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(sizeWord, "sizeWord");
    Objects.requireNonNull(position, "position");
  }

  /** Width of the bounding box. */
  public int width() {
    return size;
  }

  /** Height of the bounding box: a bar is flat, other shapes fill a square. */
  public int height() {
    return shape == ShapeKind.BAR ? Math.max(3, Math.round(size * 0.4f)) : size;
  }

  /** Left edge of the bounding box. */
  public int left() {
    return centerX - width() / 2;
  }

  /** Top edge of the bounding box. */
  public int top() {
    return centerY - height() / 2;
  }

  /**
   * A pixel well inside the painted area: the centre, except for a ring, whose centre is a hole,
   * where it is the middle of the band on the right.
   */
  public int[] interiorPoint() {
    if (shape == ShapeKind.RING) {
      // Outer radius size/2, inner radius RING_INNER of it: the band's middle.
      double mid = size / 2.0 * (1 + SceneRenderer.RING_INNER) / 2;
      return new int[] {(int) Math.round(centerX + mid - 0.5), centerY};
    }
    return new int[] {centerX, centerY};
  }

  /** Colour, size and shape, for example {@code small red circle}. */
  public String describe() {
    return sizeWord + " " + colour.word() + " " + shape.word();
  }
}
