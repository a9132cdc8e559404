package org.mm1lab.core.io;

import java.util.Map;

/**
 * Encodes the two kinds of TensorBoard {@code Event} message that a scalar log needs, and reads
 * back the one field a resumed run filters its old events by.
 *
 * <p>The messages, from TensorFlow's {@code event.proto} and {@code summary.proto}: {@code Event
 * {double wall_time = 1; int64 step = 2; oneof what {string file_version = 3; Summary summary =
 * 5;}}}, {@code Summary {repeated Value value = 1;}} and {@code Summary.Value {string tag = 1;
 * float simple_value = 2;}}. A file starts with an event holding {@link #FILE_VERSION}; each later
 * event holds one summary with a scalar per tag, which TensorBoard shows under its Scalars tab.
 */
final class TensorBoardEvents {

  /** The version string TensorBoard expects in a file's first event. */
  static final String FILE_VERSION = "brain.Event:2";

  private static final int EVENT_WALL_TIME = 1;
  private static final int EVENT_STEP = 2;
  private static final int EVENT_FILE_VERSION = 3;
  private static final int EVENT_SUMMARY = 5;
  private static final int SUMMARY_VALUE = 1;
  private static final int VALUE_TAG = 1;
  private static final int VALUE_SIMPLE_VALUE = 2;

  private TensorBoardEvents() {}

  /** The event that opens a file. */
  static byte[] fileVersion(double wallTime) {
    return new ProtoWire()
        .putDouble(EVENT_WALL_TIME, wallTime)
        .putString(EVENT_FILE_VERSION, FILE_VERSION)
        .toByteArray();
  }

  /** An event with one scalar per entry of {@code values} (tag to value), in its order. */
  static byte[] scalars(double wallTime, long step, Map<String, Float> values) {
    ProtoWire summary = new ProtoWire();
    for (Map.Entry<String, Float> v : values.entrySet()) {
      summary.putMessage(
          SUMMARY_VALUE,
          new ProtoWire()
              .putString(VALUE_TAG, v.getKey())
              .putFloat(VALUE_SIMPLE_VALUE, v.getValue()));
    }
    return new ProtoWire()
        .putDouble(EVENT_WALL_TIME, wallTime)
        .putInt64(EVENT_STEP, step)
        .putMessage(EVENT_SUMMARY, summary)
        .toByteArray();
  }

  /**
   * The {@code step} of an encoded event (0 when absent, as protobuf defaults it).
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed message
   */
  static long step(byte[] event) {
    int i = 0;
    long step = 0;
    while (i < event.length) {
      long[] tag = varint(event, i);
      i = (int) tag[1];
      int field = (int) (tag[0] >>> 3);
      int wireType = (int) (tag[0] & 7);
      switch (wireType) {
        case 0 -> {
          long[] value = varint(event, i);
          i = (int) value[1];
          if (field == EVENT_STEP) {
            step = value[0];
          }
        }
        case 1 -> i += 8;
        case 5 -> i += 4;
        case 2 -> {
          long[] length = varint(event, i);
          if (length[0] < 0 || length[0] > event.length) {
            throw new IllegalArgumentException("a length runs past the event's end");
          }
          i = (int) (length[1] + length[0]);
        }
        default -> throw new IllegalArgumentException("wire type " + wireType + " in an event");
      }
      if (i > event.length) {
        throw new IllegalArgumentException("a field runs past the event's end");
      }
    }
    return step;
  }

  /** The varint at {@code offset}: its value, and the offset after it. */
  private static long[] varint(byte[] bytes, int offset) {
    long value = 0;
    int i = offset;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i >= bytes.length) {
        throw new IllegalArgumentException("a varint runs past the event's end");
      }
      int b = bytes[i++];
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return new long[] {value, i};
      }
    }
    throw new IllegalArgumentException("a varint longer than 10 bytes");
  }
}
