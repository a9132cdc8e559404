package org.mm1lab.core.data.formats;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Opens a data file, decompressing it when its first bytes say it is compressed, whatever its name:
 * gzip ({@code .jsonl.gz}, {@code .json.gz} as C4 and Dolma ship, {@code .tar.gz}, {@code .tgz};
 * concatenated members too) and bzip2. zstd and xz are refused with a message that says so.
 */
public final class Compression {

  private static final int BUFFER = 1 << 16;

  private Compression() {}

  /** The suffixes of the JSON Lines files a folder is searched for. */
  public static final List<String> JSONL_SUFFIXES =
      List.of(".jsonl", ".jsonl.gz", ".json.gz", ".jsonl.bz2");

  /** The suffixes of the tar shards a folder is searched for. */
  public static final List<String> TAR_SUFFIXES = List.of(".tar", ".tar.gz", ".tgz", ".tar.bz2");

  /**
   * The file's bytes, decompressed.
   *
   * @throws IOException when it cannot be opened or is compressed in a way not read here
   */
  public static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    try {
      in.mark(8);
      byte[] magic = in.readNBytes(6);
      in.reset();
      if (starts(magic, 0x1f, 0x8b)) {
        return new Damage(new GZIPInputStream(in, BUFFER), "gzip");
      }
      if (starts(magic, 'B', 'Z', 'h')) {
        return new Damage(new BZip2CompressorInputStream(in, true), "bzip2");
      }
      if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
        throw new IOException("zstd-compressed, which is not read here; decompress it (zstd -d)");
      }
      if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0)) {
        throw new IOException("xz-compressed, which is not read here; decompress it (xz -d)");
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static boolean starts(byte[] bytes, int... expected) {
    if (bytes.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /** Says that a read failure of a decompressor is damaged or cut-off compressed data. */
  private static final class Damage extends FilterInputStream {
    private final String kind;

    Damage(InputStream in, String kind) {
      super(in);
      this.kind = kind;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    private IOException damaged(IOException e) {
      return new IOException(kind + " data damaged or cut off (" + e.getMessage() + ")", e);
    }
  }
}
