package org.mm1lab.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DataMixer;
import org.mm1lab.api.MixerContext;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Example.Chunk;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.testplugin.ListSource;
import org.mm1lab.core.testplugin.StandInMixer;
import org.mm1lab.toolkit.options.ConfigOptions;

class BatchPipelineTest {

  private static final int IMAGE_TOKENS = 2;
  private static final int SEQ_LEN = 16;
  private final WorldTokenizer tokenizer = new WorldTokenizer();

  private static ImageSource solid(Color color) {
    BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 6, 4);
    g.dispose();
    return ImageSource.of(image);
  }

  private static final String[] WORDS = {"red", "green blue", "a small star", "two", "the word"};

  private Map<String, DataSource> sources(ImageSource broken) {
    List<Example> captioned = new ArrayList<>();
    List<Example> interleaved = new ArrayList<>();
    List<Example> text = new ArrayList<>();
    for (int i = 0; i < WORDS.length; i++) {
      ImageSource image = solid(new Color(40 * i, 255 - 40 * i, 100));
      captioned.add(
          new Example.Captioned("c" + i, i == 3 && broken != null ? broken : image, WORDS[i]));
      interleaved.add(
          new Example.Interleaved(
              "d" + i,
              List.of(
                  new Chunk.TextChunk(WORDS[i]),
                  new Chunk.Image(image),
                  new Chunk.TextChunk("one"))));
      text.add(new Example.Text("t" + i, WORDS[i] + " and " + WORDS[(i + 1) % WORDS.length]));
    }
    return Map.of(
        "captioned", new ListSource("captioned", captioned),
        "interleaved", new ListSource("interleaved", interleaved),
        "text", new ListSource("text", text));
  }

  private DataMixer mixer() {
    return new StandInMixer.Factory()
        .create(
            ConfigOptions.parse("mix", "order = [captioned, text, interleaved, captioned]"),
            new MixerContext(1, List.of("captioned", "interleaved", "text"), 3));
  }

  private BatchPipeline pipeline(
      int workers, boolean packing, PipelineState start, ImageSource broken, double maxBad) {
    PipelineConfig config =
        new PipelineConfig(
            sources(broken),
            mixer(),
            new SequenceBuilder(tokenizer, IMAGE_TOKENS, SEQ_LEN, new SequenceStats()),
            tokenizer,
            new ImagePreprocessor(
                4, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}),
            3,
            packing,
            workers,
            2,
            maxBad);
    return new BatchPipeline(config, start == null ? PipelineState.start("0") : start);
  }

  private static List<HostBatch> take(BatchPipeline pipeline, int n) {
    List<HostBatch> batches = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batches.add(pipeline.next());
    }
    return batches;
  }

  private static void assertSameBatch(HostBatch a, HostBatch b) {
    assertArrayEquals(a.tokens, b.tokens);
    assertArrayEquals(a.attentionMask, b.attentionMask);
    assertArrayEquals(a.imageSlots, b.imageSlots);
    assertArrayEquals(a.labels, b.labels);
    assertArrayEquals(a.lossMask, b.lossMask);
    assertArrayEquals(a.pixels, b.pixels);
    assertEquals(a.stateAfter(), b.stateAfter());
  }

  @Test
  void batchesDoNotDependOnTheNumberOfWorkers() {
    for (boolean packing : new boolean[] {false, true}) {
      List<HostBatch> one;
      List<HostBatch> three;
      try (BatchPipeline p = pipeline(1, packing, null, null, 0)) {
        one = take(p, 6);
      }
      try (BatchPipeline p = pipeline(3, packing, null, null, 0)) {
        three = take(p, 6);
      }
      for (int i = 0; i < one.size(); i++) {
        assertSameBatch(one.get(i), three.get(i));
      }
    }
  }

  @Test
  void resumingFromABatchStateReplaysTheExactStream() {
    for (boolean packing : new boolean[] {false, true}) {
      List<HostBatch> straight;
      try (BatchPipeline p = pipeline(2, packing, null, null, 0)) {
        straight = take(p, 7);
      }
      PipelineState afterThird = straight.get(2).stateAfter();
      if (packing) {
        assertTrue(
            straight.stream().anyMatch(b -> b.stateAfter().carriedSource() != null),
            "packing carries a sequence over at least once in this stream");
      }
      try (BatchPipeline resumed = pipeline(2, packing, afterThird, null, 0)) {
        List<HostBatch> rest = take(resumed, 4);
        for (int i = 0; i < 4; i++) {
          assertSameBatch(straight.get(3 + i), rest.get(i));
        }
      }
    }
  }

  @Test
  void labelsAreTheNextTokenAndTheLossCoversTextOnly() {
    try (BatchPipeline p = pipeline(1, false, null, null, 0)) {
      HostBatch batch = p.next();
      // Row 0 is captioned "red": <bos> <image> <image> red <eos> <pad>...
      int[] row = java.util.Arrays.copyOfRange(batch.tokens, 0, SEQ_LEN);
      int img = tokenizer.imageId();
      int red = tokenizer.encode("red")[0];
      assertArrayEquals(
          new int[] {tokenizer.bosId(), img, img, red, tokenizer.eosId()},
          java.util.Arrays.copyOf(row, 5));
      assertEquals(tokenizer.padId(), row[5]);
      assertArrayEquals(
          new float[] {0, 0, 1, 1, 0, 0}, java.util.Arrays.copyOfRange(batch.lossMask, 0, 6));
      assertEquals(red, batch.labels[2]);
      assertEquals(tokenizer.eosId(), batch.labels[3]);
      assertArrayEquals(
          new int[] {1, 1, 1, 1, 1, 0}, java.util.Arrays.copyOfRange(batch.attentionMask, 0, 6));
      assertArrayEquals(
          new int[] {0, 1, 1, 0, 0, 0}, java.util.Arrays.copyOfRange(batch.imageSlots, 0, 6));
      // Images in slot order: row 0's image first; the first image is solid (0, 255, 100).
      assertEquals(2, batch.imageCount());
      assertEquals((0 / 255f - 0.5f) / 0.5f, batch.pixels[0], 1e-6);
      assertEquals((255 / 255f - 0.5f) / 0.5f, batch.pixels[16], 1e-6);
      assertEquals(batch.targetTokens(), countOnes(batch.lossMask));
    }
  }

  @Test
  void anUndecodableImageIsCountedAndItsRowCarriesNoLoss() {
    ImageSource broken = ImageSource.ofBytes(new byte[] {1, 2, 3});
    try (BatchPipeline p = pipeline(2, false, null, broken, 1.0)) {
      List<HostBatch> batches = take(p, 10);
      long bad = batches.stream().mapToInt(HostBatch::badImages).sum();
      // 30 draws in the order captioned, text, interleaved, captioned: 15 captioned examples,
      // positions 0..14 cycling over c0..c4, so the broken c3 comes up at positions 3, 8 and 13.
      assertEquals(3, bad);
      // The pipeline may have decoded batches ahead of the ones taken.
      assertTrue(p.imagesBad() >= bad);
      for (HostBatch batch : batches) {
        if (batch.badImages() > 0) {
          // Some row has images and no loss at all.
          boolean rowWithoutLoss = false;
          for (int r = 0; r < batch.batchSize(); r++) {
            float sum = 0;
            for (int i = 0; i < SEQ_LEN; i++) {
              sum += batch.lossMask[r * SEQ_LEN + i];
            }
            rowWithoutLoss |= sum == 0;
          }
          assertTrue(rowWithoutLoss);
        }
      }
    }
  }

  @Test
  void whatDecodingConvertsIsCounted() throws Exception {
    java.awt.image.BufferedImage greyAlpha =
        new java.awt.image.BufferedImage(
            new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY),
                true,
                false,
                java.awt.Transparency.TRANSLUCENT,
                java.awt.image.DataBuffer.TYPE_BYTE),
            java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 4, 4, 2, null),
            false,
            null);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(greyAlpha, "png", png);
    ImageSource translucent = ImageSource.ofBytes(png.toByteArray());
    try (BatchPipeline p = pipeline(2, false, null, translucent, 0.0)) {
      take(p, 10);
      assertEquals(0, p.imagesBad());
      assertTrue(
          p.imageConversions().count(org.mm1lab.core.data.ImageConversions.Kind.ALPHA) > 0,
          p.imageConversions().toString());
    }
  }

  @Test
  void tooManyUndecodableImagesStopTheRunWithAClearError() {
    ImageSource broken = ImageSource.ofBytes(new byte[] {1, 2, 3});
    try (BatchPipeline p = pipeline(2, false, null, broken, 0.01)) {
      UserException e = assertThrows(UserException.class, () -> take(p, 40));
      assertTrue(
          e.getMessage().contains("images could not be decoded (more than the allowed 1.0%)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("not a readable image"), e.getMessage());
    }
  }

  private static long countOnes(float[] values) {
    long n = 0;
    for (float v : values) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }
}
