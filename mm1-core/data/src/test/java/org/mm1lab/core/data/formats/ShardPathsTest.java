package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource;

class ShardPathsTest {

  @TempDir Path dir;

  @Test
  void bracePatternsExpandAsWebDatasetUsersWriteThem() {
    assertEquals(
        List.of("s-000008.tar", "s-000009.tar", "s-000010.tar"),
        ShardPaths.expand("s-{000008..000010}.tar"));
    assertEquals(List.of("x/8.tar", "x/9.tar", "x/10.tar"), ShardPaths.expand("x/{8..10}.tar"));
    assertEquals(List.of("p0", "p10", "p20"), ShardPaths.expand("p{0..20..10}"));
    assertEquals(
        List.of("train/a-0.tar", "train/a-1.tar", "extra/a-0.tar", "extra/a-1.tar"),
        ShardPaths.expand("{train,extra}/a-{0..1}.tar"));
    assertEquals(List.of("plain.tar"), ShardPaths.expand("plain.tar"));
    assertEquals(1000, ShardPaths.expand("s-{000..999}.tar").size());
  }

  @Test
  void malformedPatternsAreOneLine() {
    for (String[] bad :
        new String[][] {
          {"s-{000..099.tar", "'{' without '}'"},
          {"s-000..099}.tar", "'}' without '{'"},
          {"s-{a..c}.tar", "'{a..c}': a range needs whole numbers, as in {000000..000099}"},
          {"s-{1..2..0}.tar", "'{1..2..0}': bounds must be >= 0 and the step positive"},
          {"s-{x}.tar", "'{x}' is neither a list {a,b} nor a range {000..099}"}
        }) {
      UserException e =
          assertThrows(UserException.class, () -> ShardPaths.resolve("web", List.of(bad[0])));
      assertEquals("data source 'web': path '" + bad[0] + "': " + bad[1], e.getMessage());
    }
  }

  @Test
  void listsOfShardsFoldersAndPatternsAreReadInOrder() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("shards"));
    Path more = Files.createDirectories(dir.resolve("more"));
    for (int shard = 0; shard < 3; shard++) {
      try (WebDatasetWriter writer =
          new WebDatasetWriter(shard < 2 ? shards : more, "part" + shard, 10)) {
        writer.writeRecord(
            "k" + shard,
            java.util.Map.of(
                "png",
                Fixtures.png(shard),
                "txt",
                "c".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    List<Path> paths =
        ShardPaths.resolve(
            "web", List.of(more.toString(), shards + "/part{1,0}-{000000..000000}.tar"));
    assertEquals(3, paths.size());
    WebDatasetSource source = new WebDatasetSource("web", paths, 0.0);
    try (DataSource.ExampleStream stream = source.onePass()) {
      assertEquals(List.of("k2", "k1", "k0"), Fixtures.ids(Fixtures.take(stream, 3)));
    }

    UserException missing =
        assertThrows(
            UserException.class,
            () -> ShardPaths.resolve("web", List.of(shards + "/part0-{000000..000002}.tar")));
    assertEquals(
        "data source 'web': 2 of the 3 paths of "
            + shards
            + "/part0-{000000..000002}.tar do not exist; first: "
            + shards
            + "/part0-000001.tar",
        missing.getMessage());
  }
}
