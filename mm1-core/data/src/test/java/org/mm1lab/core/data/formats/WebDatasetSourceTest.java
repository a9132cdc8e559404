package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

class WebDatasetSourceTest {

  @TempDir Path dir;

  private static Example.Captioned example(int i) {
    return new Example.Captioned(
        String.format("%06d", i), ImageSource.of(Fixtures.image(i)), "caption number " + i);
  }

  /** Writes {@code n} good records, 3 per shard. */
  private Path writeShards(int n) {
    Path shards = dir.resolve("shards");
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "train", 3)) {
      for (int i = 0; i < n; i++) {
        writer.write(example(i));
      }
    }
    return shards;
  }

  @Test
  void roundTrip() throws IOException {
    Path shards = writeShards(7);
    try (Stream<Path> listed = Files.list(shards)) {
      assertEquals(3, listed.count());
    }
    WebDatasetSource source = new WebDatasetSource("captioned", shards, 0.1);
    assertEquals("captioned", source.name());
    try (DataSource.ExampleStream stream = source.onePass()) {
      int i = 0;
      while (stream.hasNext()) {
        Example.Captioned c = (Example.Captioned) stream.next();
        assertEquals(example(i).id(), c.id());
        assertEquals("caption number " + i, c.caption());
        assertEquals(Fixtures.pixel(Fixtures.image(i)), Fixtures.pixel(c.image().decode()));
        assertEquals(Fixtures.image(i).getWidth(), c.image().decode().getWidth());
        i++;
      }
      assertEquals(7, i);
      assertEquals(0, stream.badRecords().bad());
    }
  }

  @Test
  void jsonCaptionsAndJpegExtensionsAndLongKeys() throws IOException {
    Path shards = dir.resolve("json");
    String longKey = "deep/" + "sub-directory-name/".repeat(8) + "rec0";
    assertTrue(longKey.length() > 100);
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "s", 10)) {
      writer.writeRecord(
          longKey,
          members("jpeg", Fixtures.png(1), "json", "{\"caption\": \"from json\", \"x\": 1}"));
      writer.writeRecord("rec1", members("PNG", Fixtures.png(2), "cls", "3"));
      writer.writeRecord(
          "rec2",
          members("txt", "the txt wins", "json", "{\"caption\":\"no\"}", "png", Fixtures.png(3)));
    }
    try (DataSource.ExampleStream stream = new WebDatasetSource("c", shards, 1.0).onePass()) {
      Example.Captioned a = (Example.Captioned) stream.next();
      assertEquals(longKey, a.id());
      assertEquals("from json", a.caption());
      Example.Captioned b = (Example.Captioned) stream.next();
      assertEquals("rec2", b.id());
      assertEquals("the txt wins", b.caption());
      assertFalse(stream.hasNext());
      assertEquals(
          List.of("s-000000.tar: rec1: no caption member (.txt or .json)"),
          stream.badRecords().reasons());
    }
  }

  @Test
  void anImageThatCannotBeDecodedIsNamedByShardAndMember() throws IOException {
    Path shards = dir.resolve("broken");
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "s", 10)) {
      writer.writeRecord("rec0", members("jpg", "not a jpeg", "txt", "a caption"));
    }
    try (DataSource.ExampleStream stream = new WebDatasetSource("c", shards, 1.0).onePass()) {
      Example.Captioned a = (Example.Captioned) stream.next();
      IOException e = assertThrows(IOException.class, () -> a.image().decode());
      assertTrue(e.getMessage().startsWith("s-000000.tar, member rec0.jpg: "), e.getMessage());
    }
    // a file names itself; bytes without a place keep the decoder's message alone
    Path garbage = Files.writeString(dir.resolve("garbage.png"), "garbage");
    IOException fromFile =
        assertThrows(IOException.class, () -> ImageSource.ofFile(garbage).decode());
    assertTrue(fromFile.getMessage().startsWith(garbage + ": "), fromFile.getMessage());
    IOException fromBytes =
        assertThrows(IOException.class, () -> ImageSource.ofBytes(new byte[] {1, 2, 3}).decode());
    assertFalse(fromBytes.getMessage().contains(": :"), fromBytes.getMessage());
  }

  @Test
  void badRecordsAreSkippedAndCountedWithTheReason() throws IOException {
    Path shards = dir.resolve("bad");
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "s", 100)) {
      for (int i = 0; i < 30; i++) {
        switch (i) {
          case 3 -> writer.writeRecord("k03", members("txt", "no image"));
          case 5 -> writer.writeRecord("k05", members("png", new byte[0], "txt", "empty image"));
          case 7 -> writer.writeRecord("k07", members("png", Fixtures.png(7), "json", "{oops"));
          case 9 ->
              writer.writeRecord(
                  "k09", members("png", "not a png".getBytes(StandardCharsets.UTF_8), "txt", "x"));
          default ->
              writer.writeRecord(
                  String.format("k%02d", i), members("png", Fixtures.png(i), "txt", "c" + i));
        }
      }
    }
    List<Example> good = new ArrayList<>();
    DataSource.ExampleStream stream = new WebDatasetSource("c", shards, 0.2).onePass();
    stream.forEachRemaining(good::add);
    assertEquals(27, good.size());
    assertEquals(30, stream.badRecords().read());
    assertEquals(3, stream.badRecords().bad());
    List<String> reasons = stream.badRecords().reasons();
    assertEquals("s-000000.tar: k03: no image member (.png, .jpg, .jpeg or .webp)", reasons.get(0));
    assertEquals("s-000000.tar: k05: image member k05.png is empty", reasons.get(1));
    assertTrue(
        reasons.get(2).startsWith("s-000000.tar: k07: k07.json: malformed JSON"), reasons.get(2));
    // A corrupt image is found when decoded (lazily, by the pipeline), with a clear IOException.
    Example.Captioned corrupt =
        (Example.Captioned) good.stream().filter(e -> e.id().equals("k09")).findFirst().get();
    IOException e = assertThrows(IOException.class, () -> corrupt.image().decode());
    assertTrue(e.getMessage().contains("not a readable image"), e.getMessage());

    // 3 of 30 is more than 5%: the endless stream stops with a clear message.
    UserException tooMany =
        assertThrows(
            UserException.class,
            () -> {
              try (DataSource.ExampleStream s =
                  new WebDatasetSource("capt", shards, 0.05).open(0)) {
                Fixtures.take(s, 40);
              }
            });
    assertTrue(
        tooMany
            .getMessage()
            .startsWith("data source 'capt': 3 of 30 records in " + shards + " were unreadable"),
        tooMany.getMessage());
    assertTrue(tooMany.getMessage().contains("first: s-000000.tar: k03: no image member"));
  }

  @Test
  void aSmallAllBadShardFailsAtTheEndOfThePass() throws IOException {
    Path shards = dir.resolve("allbad");
    try (WebDatasetWriter writer = new WebDatasetWriter(shards, "s", 100)) {
      writer.writeRecord("a", members("txt", "no image"));
      writer.writeRecord("b", members("txt", "no image either"));
    }
    UserException e =
        assertThrows(
            UserException.class, () -> new WebDatasetSource("c", shards, 0.5).open(0).hasNext());
    assertTrue(
        e.getMessage().startsWith("data source 'c': none of the 2 records in " + shards),
        e.getMessage());
  }

  @Test
  void emptyDirectoryAndEmptyShardGiveTheClearMessage() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    UserException e =
        assertThrows(
            UserException.class, () -> new WebDatasetSource("cap", empty, 0.1).open(0).next());
    assertEquals("data source 'cap': no records in " + empty, e.getMessage());

    Path emptyShard = empty.resolve("zero.tar");
    new TarWriter(Files.newOutputStream(emptyShard)).close();
    UserException e2 =
        assertThrows(
            UserException.class, () -> new WebDatasetSource("cap", emptyShard, 0.1).open(0).next());
    assertEquals("data source 'cap': no records in " + emptyShard, e2.getMessage());

    UserException missing =
        assertThrows(
            UserException.class, () -> new WebDatasetSource("cap", dir.resolve("nope"), 0.1));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }

  @Test
  void truncatedShardCountsOneBadRecordAndKeepsTheRest() throws IOException {
    Path shards = writeShards(6); // two shards of 3
    Path first = shards.resolve("train-000000.tar");
    byte[] bytes = Files.readAllBytes(first);
    Path cut = dir.resolve("cut");
    Files.createDirectories(cut);
    // Keep the first record whole and cut the second inside its image.
    int firstRecord = 512 + (int) TarReader.padded(Fixtures.png(0).length) + 512 + 512;
    Files.write(cut.resolve("a.tar"), Arrays.copyOf(bytes, firstRecord + 512 + 20));
    Files.copy(shards.resolve("train-000001.tar"), cut.resolve("b.tar"));
    DataSource.ExampleStream stream = new WebDatasetSource("c", cut, 1.0).onePass();
    List<Example> got = new ArrayList<>();
    stream.forEachRemaining(got::add);
    assertEquals(List.of("000000", "000003", "000004", "000005"), Fixtures.ids(got));
    assertEquals(1, stream.badRecords().bad());
    String reason = stream.badRecords().reasons().get(0);
    assertTrue(
        reason.startsWith("a.tar: 000001: truncated tar archive a.tar: member '000001.png' ends"),
        reason);
  }

  @Test
  void openAtAPositionEqualsSkippingAndWrapsAround() {
    Path shards = writeShards(5);
    WebDatasetSource source = new WebDatasetSource("c", shards, 0.1);
    List<String> stream;
    try (DataSource.ExampleStream s = source.open(0)) {
      stream = Fixtures.ids(Fixtures.take(s, 23));
    }
    // Wraps around: epoch after epoch, the same order.
    assertEquals(List.of("000000", "000001", "000002", "000003", "000004"), stream.subList(0, 5));
    assertEquals(stream.subList(0, 5), stream.subList(5, 10));
    assertEquals(stream.subList(0, 3), stream.subList(20, 23));
    for (int n : new int[] {0, 1, 3, 5, 7, 12, 18}) {
      try (DataSource.ExampleStream s = source.open(n)) {
        assertEquals(
            stream.subList(n, n + 5), Fixtures.ids(Fixtures.take(s, 5)), "open(" + n + ")");
      }
    }
  }

  @Test
  void readersDoNotModifyTheirInput() throws IOException {
    Path shards = writeShards(4);
    Fixtures.Snapshot before = Fixtures.Snapshot.of(shards);
    WebDatasetSource source = new WebDatasetSource("c", shards, 0.1);
    try (DataSource.ExampleStream s = source.open(3)) {
      for (Example e : Fixtures.take(s, 10)) {
        ((Example.Captioned) e).image().decode();
      }
    }
    source.onePass().forEachRemaining(e -> {});
    before.assertUnchanged(shards);
  }

  @Test
  void writerNeverOverwrites() throws IOException {
    Path shards = writeShards(2);
    byte[] before = Files.readAllBytes(shards.resolve("train-000000.tar"));
    UserException e =
        assertThrows(UserException.class, () -> new WebDatasetWriter(shards, "train", 3));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(Arrays.equals(before, Files.readAllBytes(shards.resolve("train-000000.tar"))));
  }

  private static Map<String, byte[]> members(Object... extAndContent) {
    Map<String, byte[]> members = new LinkedHashMap<>();
    for (int i = 0; i < extAndContent.length; i += 2) {
      Object content = extAndContent[i + 1];
      members.put(
          (String) extAndContent[i],
          content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) content);
    }
    return members;
  }
}
