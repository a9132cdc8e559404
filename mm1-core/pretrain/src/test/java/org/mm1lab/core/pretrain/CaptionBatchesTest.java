package org.mm1lab.core.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.data.formats.WebDatasetSource;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.sources.WorldExport;
import org.mm1lab.core.testplugin.ListSource;
import org.mm1lab.core.world.SyntheticWorld;
import org.mm1lab.core.world.WorldSettings;

/** How image-caption pairs become pretraining batches. */
class CaptionBatchesTest {

  private final WorldTokenizer tokenizer = new WorldTokenizer();
  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(16, ImagePreprocessor.clipMean(), ImagePreprocessor.clipStd());

  private static Example.Captioned pair(String id, String caption) {
    return new Example.Captioned(
        id, ImageSource.of(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)), caption);
  }

  private CaptionBatches batches(DataSource source, int batchSize, boolean captions, int max) {
    return new CaptionBatches(source, preprocessor, tokenizer, batchSize, captions, max, 0.5);
  }

  @Test
  void captionsEndWithTheEndTokenArePaddedAndCutToTheObjectivesLength() {
    ListSource source =
        new ListSource(
            "pairs",
            List.of(pair("a", "a red circle"), pair("b", "a small blue square on the left")));
    try (CaptionBatches batches = batches(source, 2, true, 4)) {
      CaptionBatch batch = batches.next();
      int[] short1 = tokenizer.encode("a red circle");
      int[] long1 = tokenizer.encode("a small blue square on the left");
      assertEquals(3, short1.length);
      assertEquals(4, batch.length());
      int eos = tokenizer.eosId();
      assertArrayEquals(
          new int[] {short1[0], short1[1], short1[2], eos, long1[0], long1[1], long1[2], eos},
          batch.tokens());
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, batch.mask());
      assertEquals(2 * 3 * 16 * 16, batch.pixels().length);
    }
    try (CaptionBatches batches = batches(source, 2, true, 64)) {
      CaptionBatch batch = batches.next();
      assertEquals(8, batch.length(), "7 words and the end token");
      int[] first = Arrays.copyOfRange(batch.tokens(), 0, 8);
      assertEquals(tokenizer.eosId(), first[3]);
      assertEquals(List.of(tokenizer.padId(), tokenizer.padId()), List.of(first[6], first[7]));
      assertArrayEquals(
          new float[] {1, 1, 1, 1, 0, 0, 0, 0}, Arrays.copyOfRange(batch.mask(), 0, 8));
    }
  }

  @Test
  void aRepeatedCaptionIsSkippedWithinABatchOnly() {
    ListSource source =
        new ListSource(
            "pairs",
            List.of(
                pair("1", "a red circle"), pair("2", "a red circle"), pair("3", "a blue circle")));
    try (CaptionBatches batches = batches(source, 2, true, 16)) {
      batches.next(); // 1, (2 skipped), 3
      assertEquals(3, batches.position());
      assertEquals(1, batches.duplicatesSkipped());
      batches.next(); // 1 again (new batch), 2 skipped, 3
      assertEquals(2, batches.duplicatesSkipped());
    }
    // Without captions nothing is skipped and no tokens are made.
    try (CaptionBatches batches = batches(source, 2, false, 16)) {
      CaptionBatch batch = batches.next();
      assertEquals(2, batches.position());
      assertEquals(0, batch.length());
      assertEquals(null, batch.tokens(null));
    }
  }

  @Test
  void aSourceOfOneCaptionCannotFillABatchAndSaysSo() {
    ListSource source = new ListSource("same", List.of(pair("1", "a red circle")));
    UserException e = assertThrows(UserException.class, () -> batches(source, 2, true, 16).next());
    assertTrue(e.getMessage().contains("repeats its captions too often"), e.getMessage());
  }

  @Test
  void documentsAreRefusedNamingTheSource() {
    ListSource source = new ListSource("text", List.of(new Example.Text("t1", "just words")));
    UserException e = assertThrows(UserException.class, () -> batches(source, 2, false, 16).next());
    assertTrue(
        e.getMessage()
            .startsWith("mm1.pretrain.source: data source 'text' holds text-only documents"),
        e.getMessage());
  }

  @Test
  void unreadableImagesAreSkippedAndCounted() {
    ImageSource broken =
        () -> {
          throw new IOException("truncated PNG");
        };
    ListSource source =
        new ListSource(
            "mixed",
            List.of(
                pair("1", "one"), new Example.Captioned("2", broken, "two"), pair("3", "three")));
    try (CaptionBatches batches = batches(source, 2, true, 16)) {
      batches.next();
      assertEquals(1, batches.badImages());
      assertEquals(3, batches.position());
    }
  }

  @Test
  void webDatasetShardsOfTheWorldGiveTheWorldsBatches(@TempDir Path dir) {
    SyntheticWorld world = new SyntheticWorld(1234, WorldSettings.defaults());
    // The files hold the images drawn at the size the batches' encoder draws the world at.
    SyntheticWorld drawn = new SyntheticWorld(1234, WorldSettings.defaults().withRenderSize(16));
    WorldExport.export(drawn, dir.resolve("files"), new WorldExport.Counts(24, 1, 1, 10));
    DataSource shards =
        new WebDatasetSource("captioned", dir.resolve("files").resolve("captioned"), 0.0);
    try (CaptionBatches fromFiles = batches(shards, 8, true, 64);
        CaptionBatches fromWorld = batches(world.source("captioned"), 8, true, 64)) {
      for (int i = 0; i < 2; i++) {
        CaptionBatch x = fromFiles.next();
        CaptionBatch y = fromWorld.next();
        assertArrayEquals(y.pixels(), x.pixels());
        assertArrayEquals(y.tokens(), x.tokens());
      }
    }
  }

  @Test
  void theWorldGivesTheSameBatchesEveryTime() {
    DataSource world = new SyntheticWorld(1234, WorldSettings.defaults()).source("captioned");
    try (CaptionBatches a = batches(world, 8, true, 64);
        CaptionBatches b = batches(world, 8, true, 64)) {
      for (int i = 0; i < 3; i++) {
        CaptionBatch x = a.next();
        CaptionBatch y = b.next();
        assertArrayEquals(x.pixels(), y.pixels());
        assertArrayEquals(x.tokens(), y.tokens());
      }
    }
  }
}
