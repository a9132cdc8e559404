package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * A tiny synthetic world for the pretraining tests: images with a horizontal brightness ramp of
 * random slope as background and one flat, coloured square at a random place, captioned "a {colour}
 * square".
 */
final class SyntheticSquares {

  /** Saturated colours, channel values in [-1, 1]. */
  static final float[][] COLOURS = {
    {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}, {1, 1, -1}, {1, -1, 1}, {-1, 1, 1}
  };

  static final int PAD = 0;
  static final int A = 1;
  static final int SQUARE = 2;
  static final int END = 3;

  /** Colour word {@code c} is token {@code FIRST_COLOUR + c}. */
  static final int FIRST_COLOUR = 4;

  static final int VOCABULARY = FIRST_COLOUR + COLOURS.length;

  private SyntheticSquares() {}

  /** {@code (B, 3, S, S)} images of the given colours. */
  static NDArray images(NDManager manager, Random random, int[] colours, int size) {
    float[] data = new float[colours.length * 3 * size * size];
    for (int b = 0; b < colours.length; b++) {
      float slope = (random.nextBoolean() ? 1 : -1) * (0.5f + random.nextFloat()) / size;
      int side = size / 4 + random.nextInt(size / 4 + 1);
      int top = random.nextInt(size - side + 1);
      int left = random.nextInt(size - side + 1);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            boolean inside = y >= top && y < top + side && x >= left && x < left + side;
            float value = inside ? COLOURS[colours[b]][c] : slope * (x - size / 2f);
            data[((b * 3 + c) * size + y) * size + x] = value;
          }
        }
      }
    }
    return manager.create(data, new Shape(colours.length, 3, size, size));
  }

  /**
   * Captions {@code (B, 5)}: "a {colour} square END" or, at random, "{colour} square END PAD PAD",
   * so that padding and varying lengths occur.
   */
  static NDArray captions(NDManager manager, Random random, int[] colours) {
    int[] tokens = new int[colours.length * 5];
    for (int b = 0; b < colours.length; b++) {
      int[] row =
          random.nextBoolean()
              ? new int[] {A, FIRST_COLOUR + colours[b], SQUARE, END, PAD}
              : new int[] {FIRST_COLOUR + colours[b], SQUARE, END, PAD, PAD};
      System.arraycopy(row, 0, tokens, b * 5, 5);
    }
    return manager.create(tokens, new Shape(colours.length, 5));
  }

  /** The mask of real tokens of {@link #captions}. */
  static NDArray mask(NDArray captions) {
    return captions.neq(PAD).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
  }

  /** The colours 0..K-1 in random order: one batch without repeated captions. */
  static int[] shuffledColours(Random random) {
    int[] colours = new int[COLOURS.length];
    for (int i = 0; i < colours.length; i++) {
      colours[i] = i;
    }
    for (int i = colours.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = colours[i];
      colours[i] = colours[j];
      colours[j] = t;
    }
    return colours;
  }
}
