package org.mm1lab.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.Example.Chunk;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.data.Tokenizers;
import org.mm1lab.core.data.WorldTokenizer;

class SequenceBuilderTest {

  private final WorldTokenizer tokenizer = new WorldTokenizer();
  private final ImageSource image =
      ImageSource.of(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));

  private int id(String word) {
    return tokenizer.encode(word)[0];
  }

  @Test
  void captionFollowsItsImageSlotsAndOnlyTextIsTarget() {
    SequenceStats stats = new SequenceStats();
    SequenceBuilder builder = new SequenceBuilder(tokenizer, 3, 32, stats);
    TokenSequence sequence =
        builder.build(new Example.Captioned("c", image, "red circle"), "captioned").orElseThrow();
    int img = tokenizer.imageId();
    assertArrayEquals(
        new int[] {tokenizer.bosId(), img, img, img, id("red"), id("circle"), tokenizer.eosId()},
        sequence.tokens());
    assertArrayEquals(
        new boolean[] {false, true, true, true, false, false, false}, sequence.imageSlot());
    assertArrayEquals(
        new boolean[] {false, false, false, false, true, true, true}, sequence.target());
    assertEquals(1, sequence.images().size());
    assertEquals(0, stats.truncatedExamples());
  }

  @Test
  void interleavedLossMaskCoversTextOnly() {
    SequenceBuilder builder = new SequenceBuilder(tokenizer, 2, 64, new SequenceStats());
    Example document =
        new Example.Interleaved(
            "d",
            List.of(
                new Chunk.TextChunk("one"),
                new Chunk.Image(image),
                new Chunk.TextChunk("two three"),
                new Chunk.Image(image)));
    TokenSequence sequence = builder.build(document, "interleaved").orElseThrow();
    // <bos> one <eoc> <image> <image> two three <eoc> <image> <image> <eos>: text before an image
    // ends a chunk, as the separator of few-shot prompts does
    int eoc = tokenizer.endOfChunkId();
    assertEquals(eoc, sequence.tokens()[2]);
    assertEquals(eoc, sequence.tokens()[7]);
    assertArrayEquals(
        new boolean[] {false, true, true, false, false, true, true, true, false, false, true},
        sequence.target());
    assertArrayEquals(
        new boolean[] {false, false, false, true, true, false, false, false, true, true, false},
        sequence.imageSlot());
    assertEquals(2, sequence.images().size());
  }

  @Test
  void textThatIntroducesAnImageKeepsItsChunk() {
    SequenceBuilder builder = new SequenceBuilder(tokenizer, 1, 64, new SequenceStats());
    Example document =
        new Example.Interleaved(
            "d",
            List.of(
                new Chunk.TextChunk("picture one:"),
                new Chunk.Image(image),
                new Chunk.TextChunk("two")));
    int[] tokens = builder.build(document, "interleaved").orElseThrow().tokens();
    for (int id : tokens) {
      assertTrue(id != tokenizer.endOfChunkId(), "no end of chunk inside 'picture one: <image>'");
    }
  }

  @Test
  void cuttingNeverSplitsAnImageAndIsCounted() {
    SequenceStats stats = new SequenceStats();
    SequenceBuilder builder = new SequenceBuilder(tokenizer, 4, 8, stats);
    Example document =
        new Example.Interleaved(
            "d",
            List.of(
                new Chunk.TextChunk("one two"),
                new Chunk.Image(image),
                new Chunk.TextChunk("three")));
    // Full: <bos> one two <eoc> [4 slots] three <eos> = 10 > 8; the slots (positions 4-7) fit in
    // 8, so only "three" and <eos> are cut.
    TokenSequence sequence = builder.build(document, "interleaved").orElseThrow();
    assertEquals(8, sequence.length());
    assertEquals(1, sequence.images().size());
    assertEquals(1, stats.truncatedExamples());
    assertEquals(2, stats.tokensCut());

    SequenceBuilder shorter = new SequenceBuilder(tokenizer, 4, 5, stats);
    TokenSequence cut = shorter.build(document, "interleaved").orElseThrow();
    // Positions 4..7 would hold the slots; 5 positions cannot hold them: the image goes whole.
    assertArrayEquals(
        new int[] {tokenizer.bosId(), id("one"), id("two"), tokenizer.endOfChunkId()},
        cut.tokens());
    assertEquals(0, cut.images().size());
    assertEquals(2, stats.truncatedExamples());
    assertEquals(2 + 6, stats.tokensCut());
    assertEquals(1, stats.imagesCut());
  }

  @Test
  void anExampleWithNoTextLeftIsDroppedAndCounted() {
    SequenceStats stats = new SequenceStats();
    SequenceBuilder builder = new SequenceBuilder(tokenizer, 4, 5, stats);
    assertTrue(builder.build(new Example.Captioned("c", image, "red"), "captioned").isEmpty());
    assertEquals(1, stats.droppedExamples());
  }

  @Test
  void aLongDocumentThroughAHuggingFaceTokenizerArrivesWhole(@TempDir Path dir) throws Exception {
    // A word-level tokenizer.json whose file asks for a cut at 512, as many saved tokenizers do:
    // the builder alone decides what happens at seq-len, and says so in its statistics.
    String json =
        "{\"version\":\"1.0\","
            + "\"truncation\":{\"direction\":\"Right\",\"max_length\":512,"
            + "\"strategy\":\"LongestFirst\",\"stride\":0},\"padding\":null,"
            + "\"added_tokens\":[{\"id\":0,\"content\":\"[UNK]\",\"single_word\":false,"
            + "\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}],"
            + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":null,\"decoder\":null,"
            + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\"red\":1,\"blue\":2},"
            + "\"unk_token\":\"[UNK]\"}}";
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, json);
    Tokenizer hf = Tokenizers.load(file.toString());
    String document = String.join(" ", Collections.nCopies(1999, "red")) + " blue";

    SequenceStats stats = new SequenceStats();
    TokenSequence whole =
        new SequenceBuilder(hf, 4, 2048, stats)
            .build(new Example.Text("long", document), "text")
            .orElseThrow();
    assertEquals(2002, whole.length());
    assertEquals(2, whole.tokens()[2000], "the document's last word is there");
    assertEquals(hf.eosId(), whole.tokens()[2001]);
    assertEquals(0, stats.truncatedExamples());

    TokenSequence cut =
        new SequenceBuilder(hf, 4, 1024, stats)
            .build(new Example.Text("long", document), "text")
            .orElseThrow();
    assertEquals(1024, cut.length());
    assertEquals(1, stats.truncatedExamples());
    assertEquals(2002 - 1024, stats.tokensCut());
  }
}
