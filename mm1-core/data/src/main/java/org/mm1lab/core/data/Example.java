package org.mm1lab.core.data;

import java.util.List;
import java.util.Objects;

/**
 * One training example, of one of the paper's kinds: an image with a caption (alt-text quality or
 * synthetic dense caption), an interleaved document, or a text-only document.
 */
public sealed interface Example permits Example.Captioned, Example.Interleaved, Example.Text {

  /** A stable identifier, for reports of bad records and for inspection. */
  String id();

  /**
   * An image with its caption.
   *
   * @param id identifier
   * @param image the image
   * @param caption its text
   */
  record Captioned(String id, ImageSource image, String caption) implements Example {
    public Captioned {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(caption, "caption");
    }
  }

  /**
   * A document of text and images in reading order.
   *
   * @param id identifier
   * @param chunks text and images, in order
   */
  record Interleaved(String id, List<Chunk> chunks) implements Example {
    public Interleaved {
      Objects.requireNonNull(id, "id");
      chunks = List.copyOf(chunks);
    }

    /** The number of images in the document. */
    public long imageCount() {
      return chunks.stream().filter(c -> c instanceof Chunk.Image).count();
    }
  }

  /**
   * A text-only document.
   *
   * @param id identifier
   * @param text its text
   */
  record Text(String id, String text) implements Example {
    public Text {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(text, "text");
    }
  }

  /** A piece of an interleaved document. */
  sealed interface Chunk permits Chunk.TextChunk, Chunk.Image {

    /** A run of text. */
    record TextChunk(String text) implements Chunk {
      public TextChunk {
        Objects.requireNonNull(text, "text");
      }
    }

    /** An image in place. */
    record Image(ImageSource image) implements Chunk {
      public Image {
        Objects.requireNonNull(image, "image");
      }
    }
  }
}
