package org.mm1lab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: whole files, replaced whole, with the permissions of any new file. */
class AtomicFilesTest {

  @TempDir Path dir;

  /**
   * Every kind of write gives the file the mode the umask gives a file made the ordinary way in the
   * same folder: with the usual umask 022 that is 0644, group- and world-readable.
   */
  @Test
  void writtenFilesHaveTheUmaskModeOfAnyNewFile() throws Exception {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file modes are POSIX permissions; this file system has none");
    Path reference = Files.writeString(dir.resolve("reference.txt"), "x");
    String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(reference));
    Path text = dir.resolve("report/index.html");
    AtomicFiles.writeString(text, "<p>hello</p>");
    Path bytes = dir.resolve("eval/results.json");
    AtomicFiles.write(bytes, "{}".getBytes(StandardCharsets.UTF_8));
    Path png = dir.resolve("report/loss.png");
    AtomicFiles.writePng(png, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
    Path copy = dir.resolve("report/examples/000-a.txt");
    AtomicFiles.copy(reference, copy);
    for (Path file : List.of(text, bytes, png, copy)) {
      assertEquals(
          expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file + "");
    }
    // The owner can always read and write; beyond that the umask decides, as for the reference.
    assertTrue(
        Files.getPosixFilePermissions(text)
            .containsAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
  }

  @Test
  void aRewriteReplacesTheFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("run.conf");
    AtomicFiles.writeString(file, "first, and longer than the second");
    AtomicFiles.writeString(file, "second");
    assertEquals("second", Files.readString(file));
    assertEquals(List.of("run.conf"), names());
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("run.conf");
    AtomicFiles.writeString(file, "old");
    assertThrows(NoSuchFileException.class, () -> AtomicFiles.copy(dir.resolve("missing"), file));
    assertEquals("old", Files.readString(file));
    assertEquals(List.of("run.conf"), names());
  }

  @Test
  void temporaryNamesAreHiddenSiblingsThatDoNotRepeat() {
    Path target = dir.resolve("results.json");
    Path a = AtomicFiles.temporarySibling(target);
    Path b = AtomicFiles.temporarySibling(target);
    assertEquals(dir, a.getParent());
    assertTrue(a.getFileName().toString().startsWith(".results.json-"), a.toString());
    assertTrue(!a.equals(b), "two calls gave the same name " + a);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
