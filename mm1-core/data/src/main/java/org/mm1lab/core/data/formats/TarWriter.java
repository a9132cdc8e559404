package org.mm1lab.core.data.formats;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tar archive of regular files, streaming, through Apache Commons Compress: POSIX ustar
 * headers, and a GNU long-name entry before any file whose name does not fit the 100-byte name
 * field (GNU tar, Python's tarfile and WebDataset read these). Modification times are fixed (the
 * epoch) so that the same world writes the same bytes.
 */
public final class TarWriter implements Closeable {

  private final TarArchiveOutputStream out;
  private boolean closed;

  /**
   * @param out where the archive goes; closed by {@link #close()}
   */
  public TarWriter(OutputStream out) {
    this.out = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    this.out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
    this.out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /**
   * Adds one regular file.
   *
   * @param name its path in the archive (UTF-8; any length)
   * @param content its bytes
   */
  public void add(String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(content.length);
    entry.setMode(0100644);
    entry.setLastModifiedTime(FileTime.fromMillis(0));
    // Commons Compress fills in the user running the JVM; the same world writes the same bytes.
    entry.setUserName("");
    entry.setGroupName("");
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  /** Writes the blocks that end an archive, and closes the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      out.finish();
    }
  }
}
