package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

class JsonlSourcesTest {

  @TempDir Path dir;

  private static Example.Interleaved document(int i) {
    return new Example.Interleaved(
        "doc-" + i,
        List.of(
            new Example.Chunk.TextChunk("Look at image " + i + ":\n"),
            new Example.Chunk.Image(ImageSource.of(Fixtures.image(i))),
            new Example.Chunk.TextChunk("and then \"this\" one"),
            new Example.Chunk.Image(ImageSource.of(Fixtures.image(i + 1)))));
  }

  private static List<Example> all(DataSource.ExampleStream stream) {
    List<Example> out = new ArrayList<>();
    stream.forEachRemaining(out::add);
    return out;
  }

  private static void assertSameDocument(Example.Interleaved want, Example got) throws IOException {
    Example.Interleaved doc = assertInstanceOf(Example.Interleaved.class, got);
    assertEquals(want.id(), doc.id());
    assertEquals(want.chunks().size(), doc.chunks().size());
    for (int c = 0; c < want.chunks().size(); c++) {
      if (want.chunks().get(c) instanceof Example.Chunk.TextChunk t) {
        assertEquals(t, doc.chunks().get(c));
      } else {
        Example.Chunk.Image w = (Example.Chunk.Image) want.chunks().get(c);
        Example.Chunk.Image g = assertInstanceOf(Example.Chunk.Image.class, doc.chunks().get(c));
        assertEquals(Fixtures.pixel(w.image().decode()), Fixtures.pixel(g.image().decode()));
      }
    }
  }

  @Test
  void interleavedRoundTripWithFilesAndInlineImages() throws IOException {
    for (InterleavedJsonlWriter.ImageMode mode : InterleavedJsonlWriter.ImageMode.values()) {
      Path file = dir.resolve(mode + "/docs.jsonl");
      try (InterleavedJsonlWriter writer = new InterleavedJsonlWriter(file, mode)) {
        for (int i = 0; i < 4; i++) {
          writer.write(document(i));
        }
      }
      assertEquals(4, Files.readAllLines(file).size());
      assertEquals(
          mode == InterleavedJsonlWriter.ImageMode.FILES,
          Files.isDirectory(file.resolveSibling("docs-images")));
      Fixtures.Snapshot before = Fixtures.Snapshot.of(file.getParent());
      List<Example> got = all(new InterleavedJsonlSource("inter", file, 0.1).onePass());
      assertEquals(4, got.size());
      for (int i = 0; i < 4; i++) {
        assertSameDocument(document(i), got.get(i));
      }
      before.assertUnchanged(file.getParent());
    }
  }

  @Test
  void interleavedBadLinesAreSkippedWithTheReason() throws IOException {
    Path file = dir.resolve("docs.jsonl");
    String png = Base64.getEncoder().encodeToString(Fixtures.png(1));
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\": 1, \"chunks\": [{\"text\": \"ok \"}, {\"image_bytes\": \"" + png + "\"}]}",
            "{\"id\": 2, \"chunks\": [{\"text\": \"unterminated\"",
            "",
            "{\"id\": 3, \"chunks\": [{\"image\": \"missing.png\"}]}",
            "{\"id\": 4, \"chunks\": [{\"image_bytes\": \"\"}]}",
            "{\"id\": 5, \"chunks\": [{\"image_bytes\": \"***\"}]}",
            "{\"chunks\": []}",
            "{\"id\": 7, \"chunks\": [{\"text\": \"a\", \"image\": \"b\"}]}",
            "{\"id\": 8, \"chunks\": [{\"image_bytes\": \""
                + Base64.getEncoder()
                    .encodeToString("not an image".getBytes(StandardCharsets.UTF_8))
                + "\"}]}",
            ""));
    DataSource.ExampleStream stream = new InterleavedJsonlSource("i", file, 1.0).onePass();
    List<Example> got = all(stream);
    assertEquals(List.of("1", "8"), Fixtures.ids(got));
    assertEquals(
        List.of(
            "docs.jsonl: line 2: malformed JSON",
            "docs.jsonl: line 4 (id 3): chunk 0: image file missing.png does not exist",
            "docs.jsonl: line 5 (id 4): chunk 0: image_bytes is empty",
            "docs.jsonl: line 6 (id 5): chunk 0: image_bytes is not valid base64",
            "docs.jsonl: line 7: \"chunks\" is empty",
            "docs.jsonl: line 8 (id 7): chunk 0: needs exactly one of \"text\", \"image\","
                + " \"image_bytes\""),
        stream.badRecords().reasons().stream()
            .map(
                r ->
                    r.startsWith("docs.jsonl: line 2: malformed JSON")
                        ? "docs.jsonl: line 2: malformed JSON"
                        : r)
            .toList());
    // The undecodable inline image is found by the pipeline when it decodes.
    Example.Chunk.Image image =
        (Example.Chunk.Image) ((Example.Interleaved) got.get(1)).chunks().get(0);
    assertThrows(IOException.class, () -> image.image().decode());
  }

  @Test
  void textRoundTripPositionsAndWrapAround() throws IOException {
    Path texts = dir.resolve("texts");
    try (TextJsonlWriter a = new TextJsonlWriter(texts.resolve("a.jsonl"));
        TextJsonlWriter b = new TextJsonlWriter(texts.resolve("b.jsonl"))) {
      for (int i = 0; i < 3; i++) {
        a.write(new Example.Text("a" + i, "text a " + i + "\nwith a second line"));
        b.write(new Example.Text("b" + i, "text b " + i));
      }
    }
    Files.writeString(texts.resolve("ignored.txt"), "not jsonl");
    TextJsonlSource source = new TextJsonlSource("text", texts, 0.0);
    List<String> stream;
    try (DataSource.ExampleStream s = source.open(0)) {
      List<Example> first = Fixtures.take(s, 14);
      assertEquals(new Example.Text("a0", "text a 0\nwith a second line"), first.get(0));
      stream = Fixtures.ids(first);
    }
    assertEquals(List.of("a0", "a1", "a2", "b0", "b1", "b2", "a0", "a1"), stream.subList(0, 8));
    for (int n = 0; n < 9; n++) {
      try (DataSource.ExampleStream s = source.open(n)) {
        assertEquals(
            stream.subList(n, n + 5), Fixtures.ids(Fixtures.take(s, 5)), "open(" + n + ")");
      }
    }
    try (DataSource.ExampleStream s = source.open(6L * 1_000_000_000L + 2)) {
      assertEquals("a2", s.next().id()); // whole epochs are skipped without rereading them
    }
  }

  @Test
  void malformedTextLinesCountAndTheFractionStopsTheRun() throws IOException {
    Path file = dir.resolve("t.jsonl");
    try (TextJsonlWriter writer = new TextJsonlWriter(file)) {
      for (int i = 0; i < 30; i++) {
        writer.write(new Example.Text("t" + i, "text " + i));
      }
    }
    Files.writeString(
        file,
        "{\"id\": \"x\", \"txt\": \"wrong field\"}\nnot json at all\n{\"text\": \" \"}\n",
        StandardOpenOption.APPEND);
    DataSource.ExampleStream pass = new TextJsonlSource("t", file, 1.0).onePass();
    assertEquals(30, all(pass).size());
    assertEquals(
        List.of(
            "t.jsonl: line 31 (id x): no string field \"text\"",
            "t.jsonl: line 32: malformed JSON",
            "t.jsonl: line 33: empty text"),
        pass.badRecords().reasons().stream()
            .map(r -> r.replaceAll("malformed JSON.*", "malformed JSON"))
            .toList());
    // 3 of 33 = 9%: fine at 10%, stops at 5% when the pass ends.
    try (DataSource.ExampleStream s = new TextJsonlSource("t", file, 0.1).open(0)) {
      assertEquals(100, Fixtures.take(s, 100).size());
    }
    UserException e =
        assertThrows(
            UserException.class,
            () -> Fixtures.take(new TextJsonlSource("t", file, 0.05).open(0), 100));
    // BadRecords stops it as soon as the share is judged (after the 32nd record).
    assertTrue(e.getMessage().startsWith("data source 't': 2 of 32 records"), e.getMessage());
    assertTrue(e.getMessage().contains("more than the allowed 5.0%"), e.getMessage());
    assertTrue(e.getMessage().contains("mm1.data.max-bad-fraction"), e.getMessage());
  }

  @Test
  void smallAllBadAndEmptyFiles() throws IOException {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{oops\n");
    UserException e =
        assertThrows(UserException.class, () -> new TextJsonlSource("t", bad, 0.5).open(0).next());
    assertTrue(
        e.getMessage()
            .startsWith(
                "data source 't': none of the 1 records in "
                    + bad
                    + " could be read; first: bad.jsonl: line 1: malformed JSON"),
        e.getMessage());

    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "\n\n");
    UserException e2 =
        assertThrows(
            UserException.class,
            () -> new InterleavedJsonlSource("docs", empty, 0.5).open(0).next());
    assertEquals("data source 'docs': no records in " + empty, e2.getMessage());
  }

  @Test
  void writersNeverOverwrite() throws IOException {
    Path file = dir.resolve("x.jsonl");
    Files.writeString(file, "keep");
    assertThrows(UserException.class, () -> new TextJsonlWriter(file));
    assertThrows(
        UserException.class,
        () -> new InterleavedJsonlWriter(file, InterleavedJsonlWriter.ImageMode.INLINE));
    assertEquals("keep", Files.readString(file));
    // An image file in the way stops the writer too.
    Path other = dir.resolve("y.jsonl");
    Files.createDirectories(dir.resolve("y-images"));
    Files.writeString(dir.resolve("y-images/doc-0-0.png"), "keep");
    try (InterleavedJsonlWriter writer =
        new InterleavedJsonlWriter(other, InterleavedJsonlWriter.ImageMode.FILES)) {
      UserException e = assertThrows(UserException.class, () -> writer.write(document(0)));
      assertTrue(e.getMessage().contains("doc-0-0.png already exists"), e.getMessage());
    }
    assertEquals("keep", Files.readString(dir.resolve("y-images/doc-0-0.png")));
  }
}
