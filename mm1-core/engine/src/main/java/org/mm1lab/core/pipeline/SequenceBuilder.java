package org.mm1lab.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;

/**
 * Turns examples into token sequences: {@code <bos>}, then text tokens and, for each image, {@code
 * T} image-slot tokens, then {@code <eos>}. In an interleaved document, text followed by an image
 * ends a chunk (unless it ends in ':', introducing the image) and gets the end-of-chunk token
 * before the image, the separator of few-shot prompts. Text, end-of-chunk and {@code <eos>} are
 * loss targets; image slots and {@code <bos>} are not. A sequence longer than {@code maxLength} is
 * cut at the end, never inside an image's slots (the image is cut whole), and the cut is counted in
 * {@link SequenceStats}.
 */
public final class SequenceBuilder {

  private final Tokenizer tokenizer;
  private final int imageTokens;
  private final int maxLength;
  private final SequenceStats stats;

  /**
   * @param tokenizer text to ids, and the special ids
   * @param imageTokens slots per image, the connector's token count
   * @param maxLength the longest sequence, {@code seq-len}
   * @param stats where cuts are counted
   */
  public SequenceBuilder(Tokenizer tokenizer, int imageTokens, int maxLength, SequenceStats stats) {
    if (imageTokens < 1 || maxLength < 2) {
      throw new IllegalArgumentException(
          "need imageTokens >= 1 and maxLength >= 2, got " + imageTokens + " and " + maxLength);
    }
    this.tokenizer = tokenizer;
    this.imageTokens = imageTokens;
    this.maxLength = maxLength;
    this.stats = stats;
  }

  /** The longest sequence this builder makes. */
  public int maxLength() {
    return maxLength;
  }

  /**
   * The example as a sequence, or empty when nothing to learn from is left after cutting it to
   * length (counted as dropped).
   */
  public Optional<TokenSequence> build(Example example, String source) {
    Parts parts = new Parts();
    parts.add(tokenizer.bosId(), false, false);
    if (example instanceof Example.Captioned captioned) {
      parts.image(captioned.image());
      parts.text(captioned.caption());
    } else if (example instanceof Example.Interleaved document) {
      for (Example.Chunk chunk : document.chunks()) {
        if (chunk instanceof Example.Chunk.Image image) {
          parts.image(image.image());
        } else {
          parts.text(((Example.Chunk.TextChunk) chunk).text());
        }
      }
    } else {
      parts.text(((Example.Text) example).text());
    }
    parts.add(tokenizer.eosId(), false, true);
    stats.example();
    return parts.finish(source);
  }

  /** A growing sequence. */
  private final class Parts {
    private final List<Integer> tokens = new ArrayList<>();
    private final List<Boolean> slots = new ArrayList<>();
    private final List<Boolean> targets = new ArrayList<>();
    private final List<ImageSource> images = new ArrayList<>();
    private final List<Integer> imageStarts = new ArrayList<>();
    private boolean chunkEnded;

    void add(int id, boolean slot, boolean target) {
      tokens.add(id);
      slots.add(slot);
      targets.add(target);
    }

    void image(ImageSource image) {
      // Text right before an image ends a chunk of the document (unless it introduces the image,
      // ending in ':'): mark it as few-shot prompts separate their examples, so that the model
      // learns where a chunk ends.
      if (chunkEnded) {
        add(tokenizer.endOfChunkId(), false, true);
      }
      chunkEnded = false;
      images.add(image);
      imageStarts.add(tokens.size());
      for (int i = 0; i < imageTokens; i++) {
        add(tokenizer.imageId(), true, false);
      }
    }

    void text(String text) {
      for (int id : tokenizer.encode(text)) {
        add(id, false, true);
      }
      String trimmed = text.strip();
      chunkEnded = !trimmed.isEmpty() && !trimmed.endsWith(":");
    }

    Optional<TokenSequence> finish(String source) {
      int length = tokens.size();
      int keep = Math.min(length, maxLength);
      int keptImages = images.size();
      // Never cut through an image: an image whose slots do not all fit is cut whole.
      while (keptImages > 0 && imageStarts.get(keptImages - 1) + imageTokens > keep) {
        keptImages--;
        keep = Math.min(keep, imageStarts.get(keptImages));
      }
      if (keep < length) {
        stats.truncated(length - keep, images.size() - keptImages);
      }
      boolean anyTarget = false;
      int[] ids = new int[keep];
      boolean[] slot = new boolean[keep];
      boolean[] target = new boolean[keep];
      for (int i = 0; i < keep; i++) {
        ids[i] = tokens.get(i);
        slot[i] = slots.get(i);
        target[i] = targets.get(i);
        anyTarget |= target[i] && i > 0;
      }
      if (!anyTarget) {
        stats.dropped();
        return Optional.empty();
      }
      return Optional.of(
          new TokenSequence(ids, slot, target, images.subList(0, keptImages), source));
    }
  }
}
