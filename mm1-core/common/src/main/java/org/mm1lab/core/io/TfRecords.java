package org.mm1lab.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TensorFlow's record framing, in which TensorBoard's event files are written: each record is its
 * length (uint64, little-endian), the masked CRC-32C of those 8 bytes (uint32), the data, and the
 * masked CRC-32C of the data (uint32). The mask rotates the checksum right by 15 bits and adds
 * {@code 0xa282ead8}, so that a checksum of bytes that themselves hold checksums stays useful.
 */
final class TfRecords {

  private static final int MASK_DELTA = 0xa282ead8;
  private static final int HEADER = 12;
  private static final int FOOTER = 4;

  private TfRecords() {}

  /** The masked CRC-32C of {@code bytes[offset .. offset + length)}. */
  static int maskedCrc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  /** Writes {@code data} as one framed record. */
  static void write(OutputStream out, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    out.write(header.array());
    out.write(data);
    ByteBuffer footer = ByteBuffer.allocate(FOOTER).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc(data, 0, data.length));
    out.write(footer.array());
  }

  /**
   * The data of every intact record of {@code file}, in order, up to the first record that is cut
   * short or fails a checksum (the tail a killed writer leaves): it and anything after it are
   * dropped.
   */
  static List<byte[]> readIntact(byte[] file) {
    List<byte[]> records = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    while (in.remaining() >= HEADER) {
      int start = in.position();
      long length = in.getLong();
      int lengthCrc = in.getInt();
      if (lengthCrc != maskedCrc(file, start, 8)
          || length < 0
          || length > in.remaining() - (long) FOOTER) {
        break;
      }
      byte[] data = new byte[(int) length];
      in.get(data);
      if (in.getInt() != maskedCrc(data, 0, data.length)) {
        break;
      }
      records.add(data);
    }
    return records;
  }

  /** The framed bytes of {@code records}, as {@link #write} writes them one after another. */
  static byte[] frame(List<byte[]> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] data : records) {
      write(out, data);
    }
    return out.toByteArray();
  }
}
