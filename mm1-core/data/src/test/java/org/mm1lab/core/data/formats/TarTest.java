package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TarTest {

  private static final String LONG =
      "a/very/long/directory/name/that/goes/on/and/on/past/the/hundred/byte/limit/of/ustar/"
          + "headers/for/sure/000001.png";

  private static byte[] archive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(out)) {
      tar.add("000000.txt", "hello".getBytes(StandardCharsets.UTF_8));
      tar.add(LONG, new byte[1000]);
      tar.add("empty.bin", new byte[0]);
      tar.add("x".repeat(100), new byte[] {7});
    }
    return out.toByteArray();
  }

  @Test
  void roundTripIncludingGnuLongNames() throws IOException {
    assertTrue(LONG.length() > 100);
    byte[] bytes = archive();
    assertEquals(0, bytes.length % 512);
    try (TarReader tar = new TarReader(new ByteArrayInputStream(bytes), "t.tar", 1 << 20)) {
      TarReader.Entry a = tar.next();
      assertEquals("000000.txt", a.name());
      assertEquals("hello", new String(a.content(), StandardCharsets.UTF_8));
      TarReader.Entry b = tar.next();
      assertEquals(LONG, b.name());
      assertArrayEquals(new byte[1000], b.content());
      TarReader.Entry c = tar.next();
      assertEquals("empty.bin", c.name());
      assertEquals(0, c.content().length);
      TarReader.Entry d = tar.next();
      assertEquals("x".repeat(100), d.name());
      assertArrayEquals(new byte[] {7}, d.content());
      assertNull(tar.next());
      assertNull(tar.next());
    }
  }

  @Test
  void membersOverTheLimitAreSkippedUnread() throws IOException {
    try (TarReader tar = new TarReader(new ByteArrayInputStream(archive()), "t.tar", 10)) {
      assertEquals("000000.txt", tar.next().name());
      TarReader.Entry big = tar.next();
      assertEquals(LONG, big.name());
      assertEquals(1000, big.size());
      assertNull(big.content());
      assertEquals("empty.bin", tar.next().name());
    }
  }

  @Test
  void truncatedArchivesGiveAClearError() throws IOException {
    byte[] bytes = archive();
    // Cut inside the 1000-byte member: its data starts after 1 + 1 blocks, the L entry (2), a
    // header.
    byte[] insideMember = Arrays.copyOf(bytes, 512 * 5 + 300);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (TarReader tar =
                  new TarReader(new ByteArrayInputStream(insideMember), "t.tar", 1 << 20)) {
                while (tar.next() != null) {
                  // read all
                }
              }
            });
    assertTrue(
        e.getMessage().startsWith("truncated tar archive t.tar: member '" + LONG), e.getMessage());

    byte[] insideHeader = Arrays.copyOf(bytes, 512 * 2 + 100);
    try (TarReader tar = new TarReader(new ByteArrayInputStream(insideHeader), "t.tar", 1 << 20)) {
      tar.next();
      IOException h = assertThrows(IOException.class, tar::next);
      assertTrue(h.getMessage().contains("ends inside a header"), h.getMessage());
    }
  }

  @Test
  void notATarIsAClearError() {
    byte[] junk = new byte[1024];
    Arrays.fill(junk, (byte) 'z');
    IOException e =
        assertThrows(
            IOException.class,
            () -> new TarReader(new ByteArrayInputStream(junk), "junk.tar", 100).next());
    assertTrue(e.getMessage().contains("junk.tar"), e.getMessage());
  }
}
