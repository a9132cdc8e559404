package org.mm1lab.core.world;

import java.util.Objects;

/**
 * A short word written in an image (3 to 5 lower-case letters). Geometry is in fractions of the
 * image side, like {@link SceneObject}'s.
 *
 * @param text the letters
 * @param left left edge of the box reserved for it
 * @param top top edge of that box
 * @param width box width (the text is centred in it)
 * @param height box height
 * @param fontSize the font size, a fraction of the image side (smaller than the box height, which
 *     leaves room for the letters' descent)
 * @param rgb text colour, 0xRRGGBB (dark)
 * @param position where it is, in the same words as {@link SceneObject#position()}
 */
public record WrittenWord(
    String text,
    double left,
    double top,
    double width,
    double height,
    double fontSize,
    int rgb,
    String position) {

  public WrittenWord {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(position, "position");
    if (!text.matches("[a-z]{3,5}")) {
      throw new IllegalArgumentException("a written word has 3 to 5 letters a-z, got " + text);
    }
  }

  /** The font size in pixels when the image is drawn {@code side} pixels wide. */
  public double fontPixels(int side) {
    return fontSize * side;
  }
}
