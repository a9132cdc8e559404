package org.mm1lab.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of TensorBoard event files written from the format's description alone, sharing no code
 * with the writer: its own bitwise CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), its own
 * record parsing that fails on any bad checksum or trailing bytes, and its own protobuf decoder
 * that reads {@code Event}, {@code Summary} and {@code Summary.Value} and rejects fields it does
 * not expect.
 */
final class EventFileReader {

  /**
   * One decoded event.
   *
   * @param wallTime seconds since the epoch
   * @param step the step (0 when absent)
   * @param fileVersion the file version string, or null
   * @param scalars tag to simple value, in order, empty without a summary
   */
  record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars) {}

  private EventFileReader() {}

  /** Every event of {@code file}, in order. */
  static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 12) {
        throw new IOException("trailing " + in.remaining() + " bytes in " + file);
      }
      byte[] lengthBytes = new byte[8];
      in.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (in.getInt() != masked(crc32c(lengthBytes))) {
        throw new IOException("bad length checksum in " + file);
      }
      byte[] data = new byte[Math.toIntExact(length)];
      in.get(data);
      if (in.getInt() != masked(crc32c(data))) {
        throw new IOException("bad data checksum in " + file);
      }
      events.add(event(data));
    }
    return events;
  }

  static int crc32c(byte[] data) {
    int crc = 0xffffffff;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }

  static int masked(int crc) {
    return Integer.rotateRight(crc, 15) + 0xa282ead8;
  }

  private static Event event(byte[] data) throws IOException {
    Decoder d = new Decoder(data);
    double wallTime = 0;
    long step = 0;
    String version = null;
    Map<String, Float> scalars = new LinkedHashMap<>();
    while (d.more()) {
      int tag = (int) d.varint();
      switch (tag) {
        case (1 << 3) | 1 -> wallTime = Double.longBitsToDouble(d.fixed64());
        case (2 << 3) -> step = d.varint();
        case (3 << 3) | 2 -> version = new String(d.bytes(), StandardCharsets.UTF_8);
        case (5 << 3) | 2 -> summary(new Decoder(d.bytes()), scalars);
        default -> throw new IOException("unexpected Event field tag " + tag);
      }
    }
    return new Event(wallTime, step, version, scalars);
  }

  private static void summary(Decoder d, Map<String, Float> scalars) throws IOException {
    while (d.more()) {
      int tag = (int) d.varint();
      if (tag != ((1 << 3) | 2)) {
        throw new IOException("unexpected Summary field tag " + tag);
      }
      Decoder value = new Decoder(d.bytes());
      String name = null;
      Float simple = null;
      while (value.more()) {
        int t = (int) value.varint();
        switch (t) {
          case (1 << 3) | 2 -> name = new String(value.bytes(), StandardCharsets.UTF_8);
          case (2 << 3) | 5 -> simple = Float.intBitsToFloat(value.fixed32());
          default -> throw new IOException("unexpected Summary.Value field tag " + t);
        }
      }
      if (name == null || simple == null) {
        throw new IOException("a Summary.Value without tag or simple_value");
      }
      scalars.put(name, simple);
    }
  }

  /** Reads protobuf wire-format primitives from a byte array. */
  private static final class Decoder {
    private final byte[] data;
    private int position;

    Decoder(byte[] data) {
      this.data = data;
    }

    boolean more() {
      return position < data.length;
    }

    long varint() throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IOException("varint too long");
    }

    long fixed64() throws IOException {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value |= (long) next() << (8 * i);
      }
      return value;
    }

    int fixed32() throws IOException {
      int value = 0;
      for (int i = 0; i < 4; i++) {
        value |= next() << (8 * i);
      }
      return value;
    }

    byte[] bytes() throws IOException {
      int length = Math.toIntExact(varint());
      if (length > data.length - position) {
        throw new IOException("length-delimited field runs past its message");
      }
      byte[] out = new byte[length];
      System.arraycopy(data, position, out, 0, length);
      position += length;
      return out;
    }

    private int next() throws IOException {
      if (position >= data.length) {
        throw new IOException("message cut short");
      }
      return data[position++] & 0xff;
    }
  }
}
