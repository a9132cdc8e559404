package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;

/** OBELICS, MMC4, the Karpathy split and LLaVA instruction data, in the shapes they ship. */
class CorporaTest {

  @TempDir Path dir;

  private record Pass(List<Example> good, List<String> bad) {}

  private static Pass pass(FileDataSource source) {
    List<Example> good = new ArrayList<>();
    try (DataSource.ExampleStream stream = source.onePass()) {
      stream.forEachRemaining(good::add);
      return new Pass(good, stream.badRecords().reasons());
    }
  }

  /** A document as text and [image] marks, to compare reading orders. */
  private static String layout(Example example) {
    StringBuilder b = new StringBuilder();
    for (Example.Chunk chunk : ((Example.Interleaved) example).chunks()) {
      if (b.length() > 0) {
        b.append(" | ");
      }
      b.append(chunk instanceof Example.Chunk.TextChunk t ? t.text() : "[image]");
    }
    return b.toString();
  }

  private Path image(String relative, int seed) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, Fixtures.png(seed));
    return file;
  }

  @Test
  void obelicsParallelListsGzipped() throws IOException {
    image("images/d0-0.png", 0);
    image("images/d0-1.png", 1);
    String lines =
        "{\"texts\":[null,\"A red square\",null,\"and a circle.\"],"
            + "\"images\":[\"images/d0-0.png\",null,\"images/d0-1.png\",null],"
            + "\"metadata\":\"[]\",\"general_metadata\":\"{}\"}\n"
            + "{\"texts\":[\"t\",null],\"images\":[null,\"https://example.com/a.jpg\"]}\n"
            + "{\"texts\":[\"t\"],\"images\":[null,null]}\n"
            + "{\"texts\":[\"t\",\"u\"],\"images\":[null,\"images/d0-0.png\"]}\n";
    Path file = dir.resolve("obelics-00000.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    Pass pass = pass(new ObelicsSource("obelics", List.of(file), 1.0));
    assertEquals(1, pass.good().size());
    assertEquals("[image] | A red square | [image] | and a circle.", layout(pass.good().get(0)));
    assertEquals("obelics-00000.jsonl.gz:line 1", pass.good().get(0).id());
    assertEquals(
        List.of(
            "obelics-00000.jsonl.gz: line 2: position 1: the image is a URL"
                + " (https://example.com/a.jpg); download the images first (img2dataset does) and"
                + " put their paths in \"images\"",
            "obelics-00000.jsonl.gz: line 3: \"texts\" has 1 entries and \"images\" 2; they must"
                + " be parallel",
            "obelics-00000.jsonl.gz: line 4: position 1: both a text and an image"),
        pass.bad());
  }

  @Test
  void mmc4ImagesComeBeforeTheirMatchedSentence() throws IOException {
    Path images = dir.resolve("mmc4-images");
    image("mmc4-images/aa.jpg", 0);
    image("mmc4-images/bb.jpg", 1);
    image("mmc4-images/cc.jpg", 2);
    Path file = dir.resolve("docs_shard_0_v2.jsonl");
    Files.writeString(
        file,
        "{\"url\":\"https://example.com/doc\","
            + "\"text_list\":[\"One.\",\"Two.\",\"Three.\",\"Four.\"],"
            + "\"image_info\":[{\"image_name\":\"bb.jpg\",\"raw_url\":\"https://x/b\","
            + "\"matched_text_index\":2,\"matched_sim\":0.3},"
            + "{\"image_name\":\"aa.jpg\",\"matched_text_index\":0,\"matched_sim\":0.2},"
            + "{\"image_name\":\"cc.jpg\",\"matched_text_index\":2,\"matched_sim\":0.25}],"
            + "\"similarity_matrix\":[[0.1]],\"could_have_url_duplicate\":0}\n"
            + "{\"text_list\":[\"A.\"],\"image_info\":[{\"image_name\":\"aa.jpg\","
            + "\"matched_text_index\":1}]}\n"
            + "{\"text_list\":[\"A.\"],\"image_info\":[{\"image_name\":\"gone.jpg\","
            + "\"matched_text_index\":0}]}\n"
            + "{\"text_list\":[\"Only text.\"],\"image_info\":[]}\n");
    Pass pass = pass(new Mmc4Source("mmc4", List.of(file), images, 1.0));
    assertEquals(2, pass.good().size());
    assertEquals("https://example.com/doc", pass.good().get(0).id());
    assertEquals(
        "[image] | One. Two. | [image] | [image] | Three. Four.", layout(pass.good().get(0)));
    assertEquals("Only text.", layout(pass.good().get(1)));
    assertEquals(
        List.of(
            "docs_shard_0_v2.jsonl: line 2: image_info[0]: matched_text_index 1 is not a sentence"
                + " of text_list (0 to 0)",
            "docs_shard_0_v2.jsonl: line 3: image_info[0]: image gone.jpg is not in " + images),
        pass.bad());
  }

  private Path karpathy() throws IOException {
    image("coco/val2014/COCO_val2014_000000000001.jpg", 0);
    image("coco/train2014/COCO_train2014_000000000002.jpg", 1);
    image("coco/val2014/COCO_val2014_000000000003.jpg", 2);
    Path file = dir.resolve("dataset_coco.json");
    Files.writeString(
        file,
        "{\"images\":["
            + "{\"filepath\":\"val2014\",\"sentids\":[1,2],"
            + "\"filename\":\"COCO_val2014_000000000001.jpg\",\"imgid\":0,\"split\":\"test\","
            + "\"sentences\":[{\"tokens\":[\"a\",\"dog\"],\"raw\":\"A dog.\",\"imgid\":0,"
            + "\"sentid\":1},{\"tokens\":[\"a\",\"puppy\"],\"raw\":\"A puppy \",\"imgid\":0,"
            + "\"sentid\":2}],\"cocoid\":1},"
            + "{\"filepath\":\"train2014\",\"filename\":\"COCO_train2014_000000000002.jpg\","
            + "\"imgid\":1,\"split\":\"train\",\"sentences\":[{\"raw\":\"A cat.\"}],\"cocoid\":2},"
            + "{\"filepath\":\"val2014\",\"filename\":\"COCO_val2014_000000000003.jpg\","
            + "\"imgid\":2,\"split\":\"restval\",\"sentences\":[{\"raw\":\"A bird.\"},"
            + "{\"raw\":\"Two birds.\"}],\"cocoid\":3},"
            + "{\"filepath\":\"val2014\",\"filename\":\"COCO_val2014_000000000004.jpg\","
            + "\"imgid\":3,\"split\":\"restval\",\"sentences\":[{\"raw\":\"Lost.\"}],"
            + "\"cocoid\":4}],"
            + "\"dataset\":\"coco\"}");
    return file;
  }

  @Test
  void karpathyTrainingSplitsGiveOneExamplePerSentence() throws IOException {
    Path file = karpathy();
    Pass pass =
        pass(new KarpathySplitSource("coco", file, dir.resolve("coco"), "train,restval", 1.0));
    assertEquals(
        List.of("A cat.", "A bird.", "Two birds."),
        pass.good().stream().map(e -> ((Example.Captioned) e).caption()).toList());
    assertEquals(List.of("2-0", "3-0", "3-1"), Fixtures.ids(pass.good()));
    assertEquals(
        List.of(
            "dataset_coco.json: image COCO_val2014_000000000004.jpg: image file"
                + " val2014/COCO_val2014_000000000004.jpg does not exist"),
        pass.bad());
    assertEquals(
        Fixtures.pixel(Fixtures.image(1)),
        Fixtures.pixel(((Example.Captioned) pass.good().get(0)).image().decode()));
  }

  @Test
  void karpathyTestSplitIsACaptionEvaluationSet() throws IOException {
    Path file = karpathy();
    List<EvalItem.Caption> items = new ArrayList<>();
    try (EvalStream<EvalItem.Caption> stream =
        new KarpathySplitSource("eval", file, dir.resolve("coco"), "test", 0.0).evalItems()) {
      stream.forEachRemaining(items::add);
    }
    assertEquals(1, items.size());
    assertEquals("1", items.get(0).id());
    assertEquals(List.of("A dog.", "A puppy"), items.get(0).references());

    UserException unknown =
        assertThrows(
            UserException.class,
            () -> new KarpathySplitSource("eval", file, dir.resolve("coco"), "tset", 0.0));
    assertEquals(
        "data source 'eval': split 'tset' is not one of train, restval, val, test (Karpathy's"
            + " training set is train,restval)",
        unknown.getMessage());
  }

  @Test
  void llavaInstructionDataIsRefusedInOneLine() throws IOException {
    Path file = dir.resolve("llava_v1_5_mix665k.json");
    Files.writeString(
        file,
        "[{\"id\":\"000000033471\",\"image\":\"coco/train2017/000000033471.jpg\","
            + "\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\\nWhat are the colors"
            + " of the bus?\"},{\"from\":\"gpt\",\"value\":\"White and red.\"}]}]");
    Files.createDirectories(dir.resolve("images"));
    for (FileDataSource source :
        List.<FileDataSource>of(
            new CocoCaptionSource("llava", file, dir.resolve("images"), 1.0),
            new KarpathySplitSource("llava", file, dir.resolve("images"), "train", 1.0))) {
      UserException e = assertThrows(UserException.class, () -> pass(source));
      assertTrue(
          e.getMessage()
              .startsWith(
                  file
                      + ": LLaVA-style instruction data (a JSON array of {\"image\","
                      + " \"conversations\"}), which MM1 Lab does not read"),
          e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
    }
  }

  @Test
  void aCorpusReadAsAnotherFormatSaysWhichItLooksLike() throws IOException {
    Path file = dir.resolve("docs.jsonl");
    Files.writeString(
        file,
        "{\"texts\":[\"t\"],\"images\":[null]}\n" + "{\"text_list\":[\"t\"],\"image_info\":[]}\n");
    Pass text = pass(new TextJsonlSource("text", file, 1.0));
    assertEquals(
        List.of(
            "docs.jsonl: line 1: no string field \"text\"; it looks like an OBELICS document: use"
                + " format = obelics",
            "docs.jsonl: line 2: no string field \"text\"; it looks like an MMC4 document: use"
                + " format = mmc4"),
        text.bad());
    Pass interleaved = pass(new InterleavedJsonlSource("docs", file, 1.0));
    assertTrue(interleaved.bad().get(0).endsWith("use format = obelics"));
  }
}
