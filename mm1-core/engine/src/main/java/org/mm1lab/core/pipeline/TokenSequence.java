package org.mm1lab.core.pipeline;

import java.util.List;
import org.mm1lab.core.data.ImageSource;

/**
 * One example as tokens: {@code tokens[i]} is the id at position i, {@code imageSlot[i]} marks the
 * {@code T} positions of each image (in order, {@link #images()} holds their sources), and {@code
 * target[i]} says whether token i is text the model is trained to predict (text and the end of
 * sequence; never images, the beginning of sequence or padding).
 *
 * @param tokens token ids
 * @param imageSlot true at image-slot positions
 * @param target true where the token is a loss target
 * @param images the images, in slot order
 * @param source the data source the example came from
 */
public record TokenSequence(
    int[] tokens, boolean[] imageSlot, boolean[] target, List<ImageSource> images, String source) {

  public TokenSequence {
    if (tokens.length != imageSlot.length || tokens.length != target.length) {
      throw new IllegalArgumentException("tokens, imageSlot and target differ in length");
    }
    images = List.copyOf(images);
  }

  /** The number of positions. */
  public int length() {
    return tokens.length;
  }
}
