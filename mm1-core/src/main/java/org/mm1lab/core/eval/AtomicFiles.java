package org.mm1lab.core.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files written whole or not at all: into a temporary file beside the target, then renamed over it,
 * so a reader (the report, a second evaluation) never sees half a file and a kill leaves the
 * previous version intact.
 */
final class AtomicFiles {

  private AtomicFiles() {}

  /** A new temporary file in the target's folder (created, with the folder, if missing). */
  static Path temporary(Path target) {
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      return Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write beside " + target + ": " + e.getMessage(), e);
    }
  }

  /** Renames a finished temporary file over the target. */
  static void commit(Path temporary, Path target) {
    try {
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes a whole file atomically. */
  static void write(Path target, byte[] content) {
    Path temporary = temporary(target);
    try {
      Files.write(temporary, content);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    commit(temporary, target);
  }

  /** Removes a temporary file that will not be committed. */
  static void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // a stray temporary file is harmless: its name starts with a dot and ends in .tmp
    }
  }
}
