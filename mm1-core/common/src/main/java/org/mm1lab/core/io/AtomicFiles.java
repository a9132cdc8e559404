package org.mm1lab.core.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files through a temporary sibling and a rename, so that a crash at any moment leaves
 * either the old file or the new one, never half of one (run configurations, reports, results).
 *
 * <p>The temporary file is created the ordinary way, so the result has the permissions the user's
 * umask gives new files (0644 by default), like every other file of a run folder: colleagues on a
 * shared server can read a report. {@code Files.createTempFile} would make it private (0600).
 */
public final class AtomicFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes {@code image} as a PNG. */
  public static void writePng(Path file, BufferedImage image) throws IOException {
    write(file, out -> Png.write(image, out));
  }

  /** Writes {@code bytes}. */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  /** Copies {@code source} to {@code file}. */
  public static void copy(Path source, Path file) throws IOException {
    write(file, out -> Files.copy(source, out));
  }

  /** What to write into the temporary file. */
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void write(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    // In the same folder, so the rename never crosses file systems and can be atomic.
    Path temporary = temporarySibling(target);
    try {
      try (OutputStream out =
          Files.newOutputStream(
              temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(out);
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * A hidden name beside {@code target} that nothing else uses: the process id keeps two writers
   * apart, a random part two threads of one process.
   */
  static Path temporarySibling(Path target) {
    return target.resolveSibling(
        "."
            + target.getFileName()
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toUnsignedString(RANDOM.nextLong(), 36)
            + ".tmp");
  }
}
