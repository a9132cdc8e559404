package org.mm1lab.core.data.formats;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tar archive of regular files, streaming: POSIX ustar headers, and a GNU long-name
 * ({@code L}) entry before any file whose name does not fit the 100-byte name field (GNU tar,
 * Python's tarfile and WebDataset read these). Modification times are fixed (the epoch) so that the
 * same world writes the same bytes.
 */
public final class TarWriter implements Closeable {

  private static final int BLOCK = TarReader.BLOCK;
  private static final String LONG_LINK = "././@LongLink";

  private final OutputStream out;
  private boolean closed;

  /**
   * @param out where the archive goes; closed by {@link #close()}
   */
  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Adds one regular file.
   *
   * @param name its path in the archive (UTF-8; any length)
   * @param content its bytes
   */
  public void add(String name, byte[] content) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      byte[] longName = new byte[nameBytes.length + 1]; // NUL-terminated, as GNU tar writes it
      System.arraycopy(nameBytes, 0, longName, 0, nameBytes.length);
      writeHeader(LONG_LINK.getBytes(StandardCharsets.US_ASCII), longName.length, 'L');
      writeContent(longName);
    }
    writeHeader(nameBytes, content.length, '0');
    writeContent(content);
  }

  /** Writes the two zero blocks that end an archive, and closes the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      out.write(new byte[2 * BLOCK]);
    }
  }

  private void writeHeader(byte[] name, long size, char type) throws IOException {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    // Checksum: six octal digits, NUL, space (the traditional layout).
    String digits = String.format("%06o", sum);
    for (int i = 0; i < 6; i++) {
      h[148 + i] = (byte) digits.charAt(i);
    }
    h[154] = 0;
    h[155] = ' ';
    out.write(h);
  }

  private void writeContent(byte[] content) throws IOException {
    out.write(content);
    int padding = (int) (TarReader.padded(content.length) - content.length);
    out.write(new byte[padding]);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("value too large for a tar header field: " + value);
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    for (int i = 0; i < length - 1; i++) {
      h[offset + i] = (byte) padded.charAt(i);
    }
    h[offset + length - 1] = 0;
  }
}
