package org.mm1lab.core.data.formats;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the regular files of a tar archive one by one, streaming, through Apache Commons Compress:
 * every dialect the writers of the field produce (POSIX ustar and pax with its {@code path} and
 * {@code size} keys, GNU long names and base-256 sizes, star, old V7), as GNU tar, bsdtar and
 * Python's tarfile write them. Directories, links and other entry types are skipped. A damaged
 * archive (cut off inside a header or a member, or a header with a wrong checksum) raises an {@link
 * IOException} whose message says what is wrong and where, for the bad-record report.
 */
public final class TarReader implements Closeable {

  static final int BLOCK = 512;

  /**
   * One regular file of the archive.
   *
   * @param name its path inside the archive
   * @param size its size in bytes
   * @param content its bytes, or {@code null} when it is larger than the reader's limit (it was
   *     skipped, not read)
   */
  public record Entry(String name, long size, byte[] content) {}

  /** The archive ends inside a member whose header was read. */
  public static final class TruncatedMemberException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String member;

    TruncatedMemberException(String message, String member) {
      super(message);
      this.member = member;
    }

    /** The name of the member that was cut off. */
    public String member() {
      return member;
    }
  }

  private final Counting counted;
  private final TarArchiveInputStream tar;
  private final String archiveName;
  private final long maxMemberBytes;
  private TarArchiveEntry skipped;

  /**
   * @param in the archive, positioned at its start, already decompressed; closed by {@link
   *     #close()}
   * @param archiveName for messages
   * @param maxMemberBytes members larger than this are skipped without being read into memory
   */
  public TarReader(InputStream in, String archiveName, long maxMemberBytes) {
    this.counted = new Counting(in);
    // Names are UTF-8 as every current writer stores them (pax headers are UTF-8 by definition).
    this.tar = new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name());
    this.archiveName = archiveName;
    this.maxMemberBytes = maxMemberBytes;
  }

  /** The archive's name, as given for messages. */
  public String archiveName() {
    return archiveName;
  }

  /**
   * The next regular file, or {@code null} at the end of the archive.
   *
   * @throws IOException when the archive is damaged (the message names the archive and member)
   */
  public Entry next() throws IOException {
    while (true) {
      TarArchiveEntry entry;
      try {
        entry = tar.getNextEntry();
      } catch (IOException | RuntimeException e) {
        if (skipped != null && counted.atEnd) {
          // Skipping an oversized member ran into the end of the stream.
          throw truncated(skipped.getName(), -1, skipped.getSize());
        }
        throw new IOException(
            "bad tar header in "
                + archiveName
                + " after "
                + counted.count
                + " bytes ("
                + reason(e)
                + "): not a tar file, or damaged",
            e);
      }
      skipped = null;
      if (entry == null) {
        long partial = counted.count % BLOCK;
        if (counted.atEnd && partial != 0) {
          // Commons Compress takes a short last record for the end; a cut header is damage.
          throw new IOException(
              "truncated tar archive "
                  + archiveName
                  + ": it ends inside a header ("
                  + partial
                  + " of "
                  + BLOCK
                  + " bytes)");
        }
        return null;
      }
      if (!entry.isFile()) {
        continue;
      }
      String name = entry.getName();
      long size = entry.getSize();
      if (size > maxMemberBytes) {
        skipped = entry;
        return new Entry(name, size, null);
      }
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException("tar member '" + name + "' in " + archiveName + " is too large");
      }
      byte[] content = new byte[(int) size];
      int got = 0;
      try {
        while (got < content.length) {
          int n = tar.read(content, got, content.length - got);
          if (n < 0) {
            break;
          }
          got += n;
        }
      } catch (IOException e) {
        throw truncated(name, got, size);
      }
      if (got < size) {
        throw truncated(name, got, size);
      }
      return new Entry(name, size, content);
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private TruncatedMemberException truncated(String name, long got, long size) {
    return new TruncatedMemberException(
        "truncated tar archive "
            + archiveName
            + ": member '"
            + name
            + "' ends "
            + (got >= 0 ? "after " + got + " of " : "before its ")
            + size
            + " bytes",
        name);
  }

  private static String reason(Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message.split("\n", 2)[0];
  }

  static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** Counts the archive's bytes and notes when its end has been reached. */
  private static final class Counting extends FilterInputStream {
    long count;
    boolean atEnd;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        atEnd = true;
      } else {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        atEnd = true;
      } else {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Read, not skip: a file's skip runs past its end without a word, hiding a cut member.
      byte[] buffer = new byte[8192];
      long done = 0;
      while (done < n) {
        int got = read(buffer, 0, (int) Math.min(buffer.length, n - done));
        if (got < 0) {
          break;
        }
        done += got;
      }
      return done;
    }
  }
}
