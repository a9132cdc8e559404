package org.mm1lab.core.world;

import java.util.List;
import java.util.Locale;

/**
 * The colours of shapes, named with the world tokenizer's colour words. White is left out: the
 * backgrounds are light, and a white shape would be nearly invisible. The RGB values are far enough
 * apart that a colour can be told from its rendered pixels.
 */
public enum Colour {
  RED(0xD62828),
  GREEN(0x2A9D3A),
  BLUE(0x1F4FD8),
  YELLOW(0xF2C500),
  PURPLE(0x7B2CBF),
  ORANGE(0xF77F00),
  BLACK(0x111111),
  GRAY(0x808080),
  PINK(0xF06FB0),
  BROWN(0x7F4A1E),
  CYAN(0x10C8D8);

  private final int rgb;

  Colour(int rgb) {
    this.rgb = rgb;
  }

  /** 0xRRGGBB. */
  public int rgb() {
    return rgb;
  }

  /** The word in captions, for example {@code red}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Colours that a careless annotator might name instead (for VQA near-misses and noisy alt-text):
   * neighbours in hue or lightness.
   */
  public List<Colour> nearMisses() {
    return switch (this) {
      case RED -> List.of(ORANGE, PINK, BROWN);
      case GREEN -> List.of(CYAN, YELLOW);
      case BLUE -> List.of(CYAN, PURPLE);
      case YELLOW -> List.of(ORANGE, GREEN);
      case PURPLE -> List.of(BLUE, PINK);
      case ORANGE -> List.of(RED, YELLOW, BROWN);
      case BLACK -> List.of(GRAY, BROWN);
      case GRAY -> List.of(BLACK);
      case PINK -> List.of(PURPLE, RED);
      case BROWN -> List.of(ORANGE, BLACK, RED);
      case CYAN -> List.of(BLUE, GREEN);
    };
  }
}
