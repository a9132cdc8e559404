package org.mm1lab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The parts every chart shares: the white canvas, fonts sized to the image, the title, axis labels,
 * a value axis with grid lines, and the legend. Line plots and bar charts differ only in what they
 * draw inside the plot rectangle.
 */
final class ChartFrame {

  /** The canvas colour; tests count pixels that differ from it. */
  static final Color BACKGROUND = Color.WHITE;

  /** Distinct, colour-blind-friendly series colours (Tableau 10), reused in order. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf),
  };

  private static final Color INK = new Color(0x222222);
  private static final Color GRID = new Color(0xe0e0e0);
  private static final int MIN_SIZE = 120;

  /** One legend line: a coloured sample and its name. */
  record LegendEntry(String name, Color color, float lineWidth) {}

  final BufferedImage image;
  final Graphics2D g;
  final Font tickFont;
  final Font labelFont;
  final Font titleFont;
  final int pad;

  private ChartFrame(int width, int height) {
    if (width < MIN_SIZE || height < MIN_SIZE) {
      throw new IllegalArgumentException(
          "a chart needs at least "
              + MIN_SIZE
              + " x "
              + MIN_SIZE
              + " pixels, not "
              + width
              + " x "
              + height);
    }
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(BACKGROUND);
    g.fillRect(0, 0, width, height);
    // Text scales with the image so that small thumbnails and large figures both stay legible.
    int base = Math.max(9, Math.min(20, Math.min(width, height) / 40));
    tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, base);
    labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, base + 1);
    titleFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.round(base * 1.35f));
    pad = Math.max(6, base / 2 + 2);
  }

  /** A blank canvas of the given size. */
  static ChartFrame create(int width, int height) {
    return new ChartFrame(width, height);
  }

  /** The colour of the {@code index}-th series. */
  static Color color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** A lighter version of {@code color}, blended towards the background. */
  static Color faded(Color color, float amount) {
    return new Color(
        blend(color.getRed(), BACKGROUND.getRed(), amount),
        blend(color.getGreen(), BACKGROUND.getGreen(), amount),
        blend(color.getBlue(), BACKGROUND.getBlue(), amount));
  }

  private static int blend(int from, int to, float amount) {
    return Math.round(from + (to - from) * amount);
  }

  int width() {
    return image.getWidth();
  }

  int height() {
    return image.getHeight();
  }

  /** The height the title takes at the top, including its gap. */
  int titleHeight(String title) {
    return title.isEmpty() ? pad : g.getFontMetrics(titleFont).getHeight() + pad;
  }

  /** The width of the widest label in {@code fontMetrics}. */
  static int widest(FontMetrics metrics, String... labels) {
    int widest = 0;
    for (String label : labels) {
      widest = Math.max(widest, metrics.stringWidth(label));
    }
    return widest;
  }

  /** Draws the title centred above the plot. */
  void drawTitle(String title, Rectangle plot) {
    if (title.isEmpty()) {
      return;
    }
    g.setFont(titleFont);
    g.setColor(INK);
    FontMetrics fm = g.getFontMetrics();
    int x = plot.x + (plot.width - fm.stringWidth(title)) / 2;
    g.drawString(title, Math.max(pad, x), pad + fm.getAscent());
  }

  /** Draws the x-axis label centred below the plot, at the bottom of the image. */
  void drawXLabel(String label, Rectangle plot) {
    if (label.isEmpty()) {
      return;
    }
    g.setFont(labelFont);
    g.setColor(INK);
    FontMetrics fm = g.getFontMetrics();
    int x = plot.x + (plot.width - fm.stringWidth(label)) / 2;
    g.drawString(label, x, height() - pad - fm.getDescent());
  }

  /** Draws the y-axis label turned a quarter left, centred beside the plot. */
  void drawYLabel(String label, Rectangle plot) {
    if (label.isEmpty()) {
      return;
    }
    g.setFont(labelFont);
    g.setColor(INK);
    FontMetrics fm = g.getFontMetrics();
    AffineTransform saved = g.getTransform();
    int centre = plot.y + plot.height / 2;
    g.translate(pad + fm.getAscent(), centre + fm.stringWidth(label) / 2);
    g.rotate(-Math.PI / 2);
    g.drawString(label, 0, 0);
    g.setTransform(saved);
  }

  /** The space the y-axis label takes on the left edge. */
  int yLabelWidth(String label) {
    return label.isEmpty() ? 0 : g.getFontMetrics(labelFont).getHeight() + pad;
  }

  /** Horizontal grid lines and tick labels for a value axis along the left of the plot. */
  void drawValueAxis(Axis axis, Rectangle plot) {
    g.setFont(tickFont);
    FontMetrics fm = g.getFontMetrics();
    double[] ticks = axis.ticks();
    String[] labels = axis.labels();
    g.setStroke(new BasicStroke(1f));
    for (int i = 0; i < ticks.length; i++) {
      int y = plot.y + plot.height - (int) Math.round(axis.fraction(ticks[i]) * plot.height);
      g.setColor(GRID);
      g.drawLine(plot.x, y, plot.x + plot.width, y);
      g.setColor(INK);
      g.drawLine(plot.x - 4, y, plot.x, y);
      g.drawString(labels[i], plot.x - 6 - fm.stringWidth(labels[i]), y + fm.getAscent() / 2 - 1);
    }
  }

  /** Vertical grid lines and tick labels for a value axis along the bottom of the plot. */
  void drawBottomAxis(Axis axis, Rectangle plot) {
    g.setFont(tickFont);
    FontMetrics fm = g.getFontMetrics();
    double[] ticks = axis.ticks();
    String[] labels = axis.labels();
    g.setStroke(new BasicStroke(1f));
    for (int i = 0; i < ticks.length; i++) {
      int x = plot.x + (int) Math.round(axis.fraction(ticks[i]) * plot.width);
      g.setColor(GRID);
      g.drawLine(x, plot.y, x, plot.y + plot.height);
      g.setColor(INK);
      g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 4);
      g.drawString(
          labels[i], x - fm.stringWidth(labels[i]) / 2, plot.y + plot.height + 6 + fm.getAscent());
    }
  }

  /** The plot's outline, drawn last so that data never covers the axes. */
  void drawFrame(Rectangle plot) {
    g.setColor(INK);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(plot.x, plot.y, plot.width, plot.height);
  }

  /** A message in the middle of an empty plot. */
  void drawEmpty(Rectangle plot, String message) {
    g.setFont(labelFont);
    g.setColor(INK);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(
        message,
        plot.x + (plot.width - fm.stringWidth(message)) / 2,
        plot.y + plot.height / 2 + fm.getAscent() / 2);
  }

  /**
   * A boxed legend in the corner of the plot that covers the fewest of {@code marks} (the data's
   * pixel positions), preferring top right, then top left, bottom right, bottom left.
   */
  void drawLegend(List<LegendEntry> entries, Rectangle plot, List<Point2D> marks) {
    if (entries.isEmpty()) {
      return;
    }
    g.setFont(tickFont);
    FontMetrics fm = g.getFontMetrics();
    int sample = fm.getHeight() * 2;
    int row = fm.getHeight() + 2;
    int textWidth = 0;
    for (LegendEntry e : entries) {
      textWidth = Math.max(textWidth, fm.stringWidth(e.name()));
    }
    int boxWidth = pad + sample + pad + textWidth + pad;
    int boxHeight = pad + row * entries.size() + pad / 2;
    int leftX = plot.x + pad;
    int rightX = plot.x + plot.width - boxWidth - pad;
    int topY = plot.y + pad;
    int bottomY = plot.y + plot.height - boxHeight - pad;
    Rectangle[] corners = {
      new Rectangle(rightX, topY, boxWidth, boxHeight),
      new Rectangle(leftX, topY, boxWidth, boxHeight),
      new Rectangle(rightX, bottomY, boxWidth, boxHeight),
      new Rectangle(leftX, bottomY, boxWidth, boxHeight),
    };
    Rectangle box = corners[0];
    long fewest = Long.MAX_VALUE;
    for (Rectangle corner : corners) {
      long covered = marks.stream().filter(corner::contains).count();
      if (covered < fewest) {
        fewest = covered;
        box = corner;
      }
    }
    int x = box.x;
    int y = box.y;
    g.setColor(new Color(255, 255, 255, 225));
    g.fillRect(x, y, boxWidth, boxHeight);
    g.setColor(GRID.darker());
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, boxWidth, boxHeight);
    for (int i = 0; i < entries.size(); i++) {
      LegendEntry e = entries.get(i);
      int baseline = y + pad + i * row + fm.getAscent();
      int middle = baseline - fm.getAscent() / 2 + 1;
      g.setColor(e.color());
      g.setStroke(new BasicStroke(Math.max(e.lineWidth(), 3f)));
      g.drawLine(x + pad, middle, x + pad + sample, middle);
      g.setColor(INK);
      g.drawString(e.name(), x + pad + sample + pad, baseline);
    }
  }

  /** Releases the graphics context and returns the finished image. */
  BufferedImage finish() {
    g.dispose();
    return image;
  }
}
