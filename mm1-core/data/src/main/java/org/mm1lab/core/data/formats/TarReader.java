package org.mm1lab.core.data.formats;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the regular files of a tar archive one by one, streaming: POSIX ustar headers (with the
 * {@code prefix} field), GNU long names ({@code L} entries) and the {@code path} of pax extended
 * headers ({@code x}). Directories, links and other entry types are skipped. A damaged archive (cut
 * off inside a header or a member, or a header with a wrong checksum) raises an {@link IOException}
 * whose message says what is wrong and where, for the bad-record report.
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

  private final InputStream in;
  private final String archiveName;
  private final long maxMemberBytes;
  private final byte[] header = new byte[BLOCK];
  private boolean ended;

  /**
   * @param in the archive, positioned at its start; closed by {@link #close()}
   * @param archiveName for messages
   * @param maxMemberBytes members larger than this are skipped without being read into memory
   */
  public TarReader(InputStream in, String archiveName, long maxMemberBytes) {
    this.in = in;
    this.archiveName = archiveName;
    this.maxMemberBytes = maxMemberBytes;
  }

  /**
   * The next regular file, or {@code null} at the end of the archive.
   *
   * @throws IOException when the archive is damaged (the message names the archive and member)
   */
  public Entry next() throws IOException {
    String longName = null;
    while (!ended) {
      int n = in.readNBytes(header, 0, BLOCK);
      if (n == 0) {
        // No end-of-archive blocks: tolerated, as GNU tar and Python's tarfile do.
        ended = true;
        return null;
      }
      if (n < BLOCK) {
        throw new IOException(
            "truncated tar archive "
                + archiveName
                + ": it ends inside a header ("
                + n
                + " of "
                + BLOCK
                + " bytes)");
      }
      if (isZero(header)) {
        ended = true;
        return null;
      }
      verifyChecksum();
      String name = string(header, 0, 100);
      long size = number(header, 124, 12, name);
      if (size < 0) {
        throw new IOException(
            "bad tar header in " + archiveName + " at member '" + name + "': negative size");
      }
      char type = (char) header[156];
      String magic = string(header, 257, 6);
      String prefix = string(header, 345, 155);
      // Only POSIX ustar ("ustar\0") has a prefix field; old GNU headers use that space for times.
      if (magic.equals("ustar") && header[262] == 0 && !prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      switch (type) {
        case 'L' -> {
          // GNU long name: the content is the name of the next entry.
          byte[] bytes = readContent(name, size);
          longName = new String(bytes, 0, length(bytes), StandardCharsets.UTF_8);
        }
        case 'x' -> {
          String path = paxPath(readContent(name, size));
          if (path != null) {
            longName = path;
          }
        }
        case '0', '\0', '7' -> {
          String fullName = longName != null ? longName : name;
          longName = null;
          if (size > maxMemberBytes) {
            skipContent(fullName, size);
            return new Entry(fullName, size, null);
          }
          return new Entry(fullName, size, readContent(fullName, size));
        }
        default -> {
          // Directories, links, devices, global pax headers, GNU long link names: nothing to yield.
          longName = null;
          skipContent(name, size);
        }
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private byte[] readContent(String name, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException("tar member '" + name + "' in " + archiveName + " is too large");
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length < size) {
      throw truncated(name, content.length, size);
    }
    skipPadding(name, size);
    return content;
  }

  private void skipContent(String name, long size) throws IOException {
    long padded = padded(size);
    long skipped = 0;
    byte[] buffer = new byte[8192];
    while (skipped < padded) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, padded - skipped));
      if (n < 0) {
        throw truncated(name, Math.min(skipped, size), size);
      }
      skipped += n;
    }
  }

  private void skipPadding(String name, long size) throws IOException {
    int padding = (int) (padded(size) - size);
    if (padding > 0 && in.readNBytes(padding).length < padding) {
      throw truncated(name, size, size);
    }
  }

  private IOException truncated(String name, long got, long size) {
    return new TruncatedMemberException(
        "truncated tar archive "
            + archiveName
            + ": member '"
            + name
            + "' ends after "
            + got
            + " of "
            + size
            + " bytes",
        name);
  }

  private void verifyChecksum() throws IOException {
    long stored = number(header, 148, 8, "?");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    // Some old writers summed signed bytes; both are accepted, as GNU tar does.
    if (stored != unsigned && stored != signed) {
      throw new IOException(
          "bad tar header in " + archiveName + " (checksum mismatch): not a tar file, or damaged");
    }
  }

  private long number(byte[] b, int offset, int length, String member) throws IOException {
    if ((b[offset] & 0x80) != 0) {
      // GNU base-256 for values that do not fit in octal.
      long value = b[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (b[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    boolean digits = false;
    for (int i = offset; i < offset + length; i++) {
      byte c = b[i];
      if (c == 0 || (c == ' ' && digits)) {
        break;
      }
      if (c == ' ') {
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException(
            "bad tar header in "
                + archiveName
                + " near member '"
                + member
                + "': not an octal number; not a tar file, or damaged");
      }
      value = value * 8 + (c - '0');
      digits = true;
    }
    return value;
  }

  private static String paxPath(byte[] records) {
    // Records are "LENGTH key=value\n"; only the path matters here.
    String text = new String(records, StandardCharsets.UTF_8);
    int pos = 0;
    String path = null;
    while (pos < text.length()) {
      int space = text.indexOf(' ', pos);
      int eq = text.indexOf('=', pos);
      int nl = text.indexOf('\n', pos);
      if (space < 0 || eq < 0 || nl < 0) {
        break;
      }
      if (text.substring(space + 1, eq).equals("path")) {
        path = text.substring(eq + 1, nl);
      }
      pos = nl + 1;
    }
    return path;
  }

  static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static int length(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return b.length;
  }

  private static String string(byte[] b, int offset, int length) {
    byte[] field = Arrays.copyOfRange(b, offset, offset + length);
    return new String(field, 0, length(field), StandardCharsets.UTF_8);
  }
}
