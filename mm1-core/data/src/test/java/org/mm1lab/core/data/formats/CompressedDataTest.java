package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/** Compressed JSON Lines and shards, and the tar dialects other tools write. */
class CompressedDataTest {

  @TempDir Path dir;

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static List<Example> all(FileDataSource source) {
    List<Example> examples = new ArrayList<>();
    try (DataSource.ExampleStream stream = source.onePass()) {
      stream.forEachRemaining(examples::add);
      assertEquals(0, stream.badRecords().bad(), stream.badRecords().reasons().toString());
    }
    return examples;
  }

  @Test
  void gzipJsonLinesAsC4AndDolmaShipThem() throws IOException {
    // C4's en/c4-train.00000-of-01024.json.gz: one {"text", "timestamp", "url"} per line; Dolma's
    // .json.gz have "id", "text", "source"; a .jsonl.gz made of two concatenated gzip members.
    Path c4 = dir.resolve("c4-train.00000-of-01024.json.gz");
    Files.write(
        c4,
        gzip(
            ("{\"text\":\"first document\",\"timestamp\":\"2019-04-25T12:57:54Z\","
                    + "\"url\":\"https://example.com/a\"}\n"
                    + "{\"text\":\"second\",\"timestamp\":\"2019-04-25T12:57:55Z\","
                    + "\"url\":\"https://example.com/b\"}\n")
                .getBytes(StandardCharsets.UTF_8)));
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.write(
        gzip(
            "{\"id\":\"d1\",\"text\":\"third\",\"source\":\"web\"}\n"
                .getBytes(StandardCharsets.UTF_8)));
    two.write(
        gzip(
            "{\"id\":\"d2\",\"text\":\"fourth\",\"source\":\"web\"}\n"
                .getBytes(StandardCharsets.UTF_8)));
    Files.write(dir.resolve("part-0001.jsonl.gz"), two.toByteArray());
    Files.writeString(dir.resolve("notes.txt"), "not data");

    List<Example> examples = all(new TextJsonlSource("text", dir, 0.0));
    List<String> texts = examples.stream().map(e -> ((Example.Text) e).text()).toList();
    assertEquals(List.of("first document", "second", "third", "fourth"), texts);
    assertEquals("c4-train.00000-of-01024.json.gz:line 1", examples.get(0).id());
  }

  @Test
  void aCutGzipFileIsOneBadRecordThatSaysSo() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      lines.append("{\"text\":\"line ").append(i * 7919L % 100_003).append("\"}\n");
    }
    byte[] whole = gzip(lines.toString().getBytes(StandardCharsets.UTF_8));
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    try (DataSource.ExampleStream stream = new TextJsonlSource("t", cut, 1.0).onePass()) {
      long good = 0;
      while (stream.hasNext()) {
        stream.next();
        good++;
      }
      assertTrue(good > 0 && good < 20_000, "read " + good);
      assertEquals(1, stream.badRecords().bad());
      String reason = stream.badRecords().reasons().get(0);
      assertTrue(reason.startsWith("cut.jsonl.gz: gzip data damaged or cut off"), reason);
    }
  }

  @Test
  void zstdIsRefusedByName() throws IOException {
    Path zst = dir.resolve("part.jsonl");
    Files.write(zst, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0});
    try (DataSource.ExampleStream stream = new TextJsonlSource("t", zst, 1.0).onePass()) {
      assertTrue(!stream.hasNext());
      assertEquals(
          "part.jsonl: cannot open: zstd-compressed, which is not read here; decompress it"
              + " (zstd -d)",
          stream.badRecords().reasons().get(0));
    }
  }

  /** A shard as Python's tarfile (pax, the default since 3.8) or GNU tar writes it. */
  private static void shard(OutputStream out, int longFileMode, String... keys) throws IOException {
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(longFileMode);
      int i = 0;
      for (String key : keys) {
        add(tar, key + ".png", Fixtures.png(i++));
        add(tar, key + ".txt", ("caption of " + key).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  @Test
  void gzipShardsAndTheTarDialectsOfOtherTools() throws IOException {
    Path shards = Files.createDirectories(dir.resolve("shards"));
    String deep = "café/" + "a-directory-name-of-some-length/".repeat(4) + "000002";
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(shards.resolve("shard-000000.tar.gz")))) {
      shard(out, TarArchiveOutputStream.LONGFILE_POSIX, "000000", "000001");
    }
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(shards.resolve("shard-000001.tgz")))) {
      shard(out, TarArchiveOutputStream.LONGFILE_POSIX, deep);
    }
    try (OutputStream out = Files.newOutputStream(shards.resolve("shard-000002.tar"))) {
      shard(out, TarArchiveOutputStream.LONGFILE_GNU, "x".repeat(120));
    }
    List<Example> examples = all(new WebDatasetSource("captioned", shards, 0.0));
    assertEquals(
        List.of("000000", "000001", deep, "x".repeat(120)),
        examples.stream().map(Example::id).toList());
    assertEquals("caption of " + deep, ((Example.Captioned) examples.get(2)).caption());
    assertEquals(
        Fixtures.pixel(Fixtures.image(0)),
        Fixtures.pixel(((Example.Captioned) examples.get(2)).image().decode()));
  }
}
