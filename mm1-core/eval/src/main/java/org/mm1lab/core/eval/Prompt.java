package org.mm1lab.core.eval;

import java.util.List;
import org.mm1lab.core.data.ImageSource;

/**
 * One evaluation prompt as the model sees it: {@code <bos>}, the in-context examples each followed
 * by end-of-chunk, then the query without its answer. Images stand as {@code T} image-slot tokens
 * each, as in training.
 *
 * @param tokens token ids, image slots included
 * @param imageSlots true at the image-slot positions
 * @param images the images, in slot order
 * @param shots the in-context examples kept
 * @param droppedShots the oldest examples left out because the prompt would not fit the model's
 *     sequence length
 * @param query the query as text with {@code <image>} for its image, for reports
 */
public record Prompt(
    int[] tokens,
    boolean[] imageSlots,
    List<ImageSource> images,
    int shots,
    int droppedShots,
    String query) {

  public Prompt {
    if (tokens.length != imageSlots.length) {
      throw new IllegalArgumentException("tokens and imageSlots differ in length");
    }
    images = List.copyOf(images);
  }

  /** The number of positions. */
  public int length() {
    return tokens.length;
  }
}
