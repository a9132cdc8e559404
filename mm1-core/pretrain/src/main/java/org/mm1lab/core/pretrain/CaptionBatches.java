package org.mm1lab.core.pretrain;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.pipeline.ImagePreprocessor;

/**
 * Batches of image-caption pairs for encoder pretraining, read in order from one data source: the
 * same source and settings give the same batches, whatever the machine. Images are decoded and
 * preprocessed on the calling thread; pretraining at the sizes this project targets spends far more
 * time in the encoder than here, so a background pipeline would add threads, not speed.
 *
 * <p>Captions (when the objective reads them) are tokenised, cut to {@code maxCaptionTokens - 1}
 * tokens and closed with the end-of-sequence token, then padded with the padding id to the longest
 * row of the batch. A pair whose tokens repeat a caption already in the batch is skipped, since a
 * contrastive loss would count the two as negatives of each other. Unreadable images are skipped
 * and counted; past {@code maxBadFraction} the run stops with a clear error.
 */
public final class CaptionBatches implements AutoCloseable {

  /** Skipped duplicates per wanted pair before the source is judged too repetitive. */
  private static final int MAX_SKIPS_PER_PAIR = 100;

  private final DataSource source;
  private final DataSource.ExampleStream stream;
  private final ImagePreprocessor preprocessor;
  private final Tokenizer tokenizer;
  private final int batchSize;
  private final boolean captions;
  private final int maxCaptionTokens;
  private final BadRecords badImages;
  private long position;
  private long duplicatesSkipped;

  /**
   * Opens the source at its start.
   *
   * @param source the source of {@link Example.Captioned} pairs
   * @param preprocessor resizes and normalises images to the encoder's input
   * @param tokenizer tokenises captions
   * @param batchSize pairs per batch
   * @param captions whether batches carry captions (the objective reads them)
   * @param maxCaptionTokens the longest caption the objective accepts, end token included, at least
   *     1
   * @param maxBadFraction the largest tolerated share of unreadable images
   */
  public CaptionBatches(
      DataSource source,
      ImagePreprocessor preprocessor,
      Tokenizer tokenizer,
      int batchSize,
      boolean captions,
      int maxCaptionTokens,
      double maxBadFraction) {
    if (batchSize < 1 || maxCaptionTokens < 1) {
      throw new IllegalArgumentException(
          "batch size and caption length must be positive, got "
              + batchSize
              + ", "
              + maxCaptionTokens);
    }
    this.source = source;
    this.preprocessor = preprocessor;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    this.captions = captions;
    this.maxCaptionTokens = maxCaptionTokens;
    this.badImages = new BadRecords(source.name(), maxBadFraction);
    this.stream = source.open(0);
  }

  /**
   * The next batch.
   *
   * @throws UserException when the source holds something other than image-caption pairs, runs dry,
   *     repeats its captions too much to fill a batch, or has too many unreadable images
   */
  public CaptionBatch next() {
    int floats = preprocessor.floatsPerImage();
    float[] pixels = new float[batchSize * floats];
    List<int[]> rows = new ArrayList<>(batchSize);
    Set<String> seen = new HashSet<>();
    int skipped = 0;
    int filled = 0;
    while (filled < batchSize) {
      Example.Captioned pair = nextPair();
      int[] row = captions ? captionTokens(pair.caption()) : null;
      if (row != null && !seen.add(Arrays.toString(row))) {
        duplicatesSkipped++;
        if (++skipped > MAX_SKIPS_PER_PAIR * batchSize) {
          throw new UserException(
              "data source '"
                  + source.name()
                  + "' repeats its captions too often to fill a batch of "
                  + batchSize
                  + " distinct captions (a contrastive loss needs them distinct); lower"
                  + " mm1.pretrain.batch-size");
        }
        continue;
      }
      BufferedImage image;
      try {
        image = pair.image().decode(preprocessor.size());
      } catch (IOException | RuntimeException e) {
        badImages.bad(pair.id(), "unreadable image (" + e.getMessage() + ")");
        continue;
      }
      badImages.good();
      preprocessor.process(image, pixels, filled * floats);
      if (row != null) {
        rows.add(row);
      }
      filled++;
    }
    return captions
        ? withCaptions(pixels, rows)
        : new CaptionBatch(batchSize, preprocessor.size(), pixels, 0, new int[0], new float[0]);
  }

  /** Examples consumed from the source so far, skipped ones included. */
  public long position() {
    return position;
  }

  /** Pairs skipped so far because their caption repeated one in the same batch. */
  public long duplicatesSkipped() {
    return duplicatesSkipped;
  }

  /** Images skipped so far as unreadable. */
  public long badImages() {
    return badImages.bad();
  }

  private Example.Captioned nextPair() {
    if (!stream.hasNext()) {
      throw new UserException("data source '" + source.name() + "' has no examples to pretrain on");
    }
    Example example = stream.next();
    position++;
    if (example instanceof Example.Captioned pair) {
      return pair;
    }
    throw new UserException(
        "mm1.pretrain.source: data source '"
            + source.name()
            + "' holds "
            + kind(example)
            + " (example "
            + example.id()
            + "); pretrain-encoder needs image-caption pairs: a world source of kind captioned"
            + " or vecap, a webdataset, coco or karpathy source");
  }

  private static String kind(Example example) {
    return example instanceof Example.Interleaved ? "interleaved documents" : "text-only documents";
  }

  /** The caption's ids, cut to leave room for the end token, then the end token. */
  private int[] captionTokens(String caption) {
    int[] ids = tokenizer.encode(caption);
    int keep = Math.min(ids.length, Math.max(0, maxCaptionTokens - 1));
    int[] row = Arrays.copyOf(ids, keep + 1);
    row[keep] = tokenizer.eosId();
    return row;
  }

  private CaptionBatch withCaptions(float[] pixels, List<int[]> rows) {
    int length = 0;
    for (int[] row : rows) {
      length = Math.max(length, row.length);
    }
    int[] tokens = new int[batchSize * length];
    float[] mask = new float[batchSize * length];
    Arrays.fill(tokens, tokenizer.padId());
    for (int b = 0; b < batchSize; b++) {
      int[] row = rows.get(b);
      System.arraycopy(row, 0, tokens, b * length, row.length);
      Arrays.fill(mask, b * length, b * length + row.length, 1f);
    }
    return new CaptionBatch(batchSize, preprocessor.size(), pixels, length, tokens, mask);
  }

  @Override
  public void close() {
    stream.close();
  }
}
