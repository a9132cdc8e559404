package org.mm1lab.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds one protocol-buffer message in the wire format by hand: fields are appended in the order
 * written, as tag (field number and wire type) followed by the value. Only the encodings that
 * TensorBoard's {@code Event} and {@code Summary} messages need are here: varints ({@code int64}),
 * 64- and 32-bit little-endian ({@code double}, {@code float}) and length-delimited fields ({@code
 * string}, embedded messages). Writing the few bytes by hand keeps protobuf-java and generated code
 * out of the build.
 */
final class ProtoWire {

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  /** Appends a {@code double} field. */
  ProtoWire putDouble(int field, double value) {
    tag(field, FIXED64);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      bytes.write((int) (bits >>> (8 * i)) & 0xff);
    }
    return this;
  }

  /** Appends a {@code float} field. */
  ProtoWire putFloat(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    for (int i = 0; i < 4; i++) {
      bytes.write((bits >>> (8 * i)) & 0xff);
    }
    return this;
  }

  /** Appends an {@code int64} field (negative values take ten bytes, as protobuf encodes them). */
  ProtoWire putInt64(int field, long value) {
    tag(field, VARINT);
    varint(value);
    return this;
  }

  /** Appends a {@code string} field, UTF-8. */
  ProtoWire putString(int field, String value) {
    return putBytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends an embedded message. */
  ProtoWire putMessage(int field, ProtoWire message) {
    return putBytes(field, message.toByteArray());
  }

  /** The message's bytes so far. */
  byte[] toByteArray() {
    return bytes.toByteArray();
  }

  private ProtoWire putBytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    bytes.write(value, 0, value.length);
    return this;
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    long rest = value;
    while ((rest & ~0x7fL) != 0) {
      bytes.write((int) ((rest & 0x7f) | 0x80));
      rest >>>= 7;
    }
    bytes.write((int) rest);
  }
}
