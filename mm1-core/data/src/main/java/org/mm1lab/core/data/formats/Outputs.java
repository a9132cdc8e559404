package org.mm1lab.core.data.formats;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mm1lab.core.UserException;

/** Output files for the writers: created new, never overwritten. */
final class Outputs {

  private Outputs() {}

  /**
   * Creates a new file (and its parent directories) for writing.
   *
   * @throws UserException when the file already exists: the writers must never replace data
   */
  static OutputStream createNew(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // CREATE_NEW makes the existence check and the creation one atomic step.
      return new BufferedOutputStream(
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          1 << 16);
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a whole new file. */
  static void writeNew(Path file, byte[] content) {
    try (OutputStream out = createNew(file)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Fails early, before anything is written, when an output file is already there. */
  static void requireAbsent(Path file) {
    if (Files.exists(file)) {
      throw alreadyExists(file);
    }
  }

  private static UserException alreadyExists(Path file) {
    return new UserException(
        file
            + " already exists; data writers never overwrite files. Write to an empty"
            + " directory or remove the old file first");
  }
}
