package org.mm1lab.core.world;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws a {@link Scene} with Java2D into a {@code TYPE_INT_RGB} image of any size: antialiased
 * filled shapes and the written word in a bold logical monospaced font (logical fonts exist on
 * every JDK, headless ones included). Only off-screen images are used, never a window; the class
 * sets {@code java.awt.headless=true} when nothing else has chosen, so that AWT never looks for a
 * display. The scene's geometry is scaled to the requested side, so a larger image carries more
 * detail (a thin stroke, a small word), not an enlarged copy of a smaller one. Stateless and
 * thread-safe: the pipeline renders on its background threads.
 */
public final class SceneRenderer {

  /** A ring's inner radius as a fraction of its outer radius. */
  static final double RING_INNER = 0.5;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private SceneRenderer() {}

  /**
   * Renders the scene {@code side} pixels wide and high.
   *
   * @throws IllegalArgumentException for a side under 1
   */
  public static BufferedImage render(Scene scene, int side) {
    if (side < 1) {
      throw new IllegalArgumentException("image side must be at least 1 pixel, got " + side);
    }
    int n = side;
    BufferedImage image = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(
          RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setColor(new Color(scene.background()));
      g.fillRect(0, 0, n, n);
      for (SceneObject o : scene.objects()) {
        g.setColor(new Color(o.colour().rgb()));
        g.fill(outline(o, n));
      }
      scene.word().ifPresent(w -> drawWord(g, w, n));
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void drawWord(Graphics2D g, WrittenWord w, int side) {
    // The box was reserved for glyphs of Scene.GLYPH_ADVANCE font sizes each; the font's own
    // metrics centre the text in it. A fractional size keeps the word's extent proportional at
    // every resolution.
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 1).deriveFont((float) w.fontPixels(side)));
    g.setColor(new Color(w.rgb()));
    FontMetrics metrics = g.getFontMetrics();
    double boxLeft = w.left() * side;
    double boxTop = w.top() * side;
    float x = (float) (boxLeft + (w.width() * side - metrics.stringWidth(w.text())) / 2);
    float y =
        (float)
            (boxTop
                + (w.height() * side - metrics.getAscent() - metrics.getDescent()) / 2
                + metrics.getAscent());
    g.drawString(w.text(), x, y);
  }

  /** The painted area of a shape, in pixel coordinates of an image {@code side} pixels wide. */
  static java.awt.Shape outline(SceneObject o, int side) {
    double x = o.left() * side;
    double y = o.top() * side;
    double w = o.width() * side;
    double h = o.height() * side;
    double cx = x + w / 2;
    double cy = y + h / 2;
    double r = w / 2;
    return switch (o.shape()) {
      case CIRCLE -> new Ellipse2D.Double(x, y, w, h);
      case SQUARE, BAR -> new Rectangle2D.Double(x, y, w, h);
      case TRIANGLE -> polygon(new double[] {cx, x + w, x}, new double[] {y, y + h, y + h});
      case DIAMOND -> polygon(new double[] {cx, x + w, cx, x}, new double[] {y, cy, y + h, cy});
      case STAR -> star(cx, cy, r, r * 0.45);
      case CROSS -> {
        double arm = w * 0.36;
        Area cross = new Area(new Rectangle2D.Double(cx - arm / 2, y, arm, h));
        cross.add(new Area(new Rectangle2D.Double(x, cy - arm / 2, w, arm)));
        yield cross;
      }
      case RING -> {
        Area ring = new Area(new Ellipse2D.Double(x, y, w, h));
        double inner = r * RING_INNER;
        ring.subtract(new Area(new Ellipse2D.Double(cx - inner, cy - inner, 2 * inner, 2 * inner)));
        yield ring;
      }
    };
  }

  private static Path2D polygon(double[] xs, double[] ys) {
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    path.closePath();
    return path;
  }

  private static Path2D star(double cx, double cy, double outer, double inner) {
    double[] xs = new double[10];
    double[] ys = new double[10];
    for (int i = 0; i < 10; i++) {
      double radius = i % 2 == 0 ? outer : inner;
      double angle = -Math.PI / 2 + i * Math.PI / 5;
      xs[i] = cx + radius * Math.cos(angle);
      ys[i] = cy + radius * Math.sin(angle);
    }
    return polygon(xs, ys);
  }
}
