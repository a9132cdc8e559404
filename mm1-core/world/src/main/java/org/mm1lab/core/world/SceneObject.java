package org.mm1lab.core.world;

import java.util.Objects;

/**
 * One shape in a scene, with the words that describe it. The words are derived from the geometry
 * when the scene is sampled, so captions and answers always agree with the pixels. Geometry is in
 * fractions of the image side (0 is the top or left edge, 1 the bottom or right), so the same scene
 * draws at any resolution.
 *
 * @param shape the shape
 * @param colour its fill colour
 * @param centerX centre, as a fraction of the width from the left
 * @param centerY centre, as a fraction of the height from the top
 * @param size side of its bounding square, as a fraction of the image side (a bar is {@code size}
 *     wide and {@link #height()} high)
 * @param sizeWord {@code small} or {@code large}, relative to the middle of the configured size
 *     range
 * @param position where it is: "top left", "top", "center", ... (thirds of the image)
 */
public record SceneObject(
    ShapeKind shape,
    Colour colour,
    double centerX,
    double centerY,
    double size,
    String sizeWord,
    String position) {

  /** A bar's height as a fraction of its width. */
  static final double BAR_ASPECT = 0.4;

  public SceneObject {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(sizeWord, "sizeWord");
    Objects.requireNonNull(position, "position");
  }

  /** Width of the bounding box. */
  public double width() {
    return size;
  }

  /** Height of the bounding box: a bar is flat, other shapes fill a square. */
  public double height() {
    return height(shape, size);
  }

  static double height(ShapeKind shape, double size) {
    return shape == ShapeKind.BAR ? size * BAR_ASPECT : size;
  }

  /** Left edge of the bounding box. */
  public double left() {
    return centerX - width() / 2;
  }

  /** Top edge of the bounding box. */
  public double top() {
    return centerY - height() / 2;
  }

  /**
   * A point well inside the painted area, in fractions: the centre, except for a ring, whose centre
   * is a hole, where it is the middle of the band on the right.
   */
  public double[] interiorPoint() {
    if (shape == ShapeKind.RING) {
      // Outer radius size/2, inner radius RING_INNER of it: the band's middle.
      double mid = size / 2.0 * (1 + SceneRenderer.RING_INNER) / 2;
      return new double[] {centerX + mid, centerY};
    }
    return new double[] {centerX, centerY};
  }

  /** Colour, size and shape, for example {@code small red circle}. */
  public String describe() {
    return sizeWord + " " + colour.word() + " " + shape.word();
  }
}
