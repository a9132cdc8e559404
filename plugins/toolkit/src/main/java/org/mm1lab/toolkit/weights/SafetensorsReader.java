package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors file: its header when opened (every entry checked against the file's size),
 * then one tensor at a time on demand, so that a large checkpoint is never held in memory whole.
 *
 * <pre>{@code
 * try (SafetensorsReader reader = SafetensorsReader.open(path);
 *     NDManager manager = NDManager.newBaseManager()) {
 *   for (String name : reader.names()) {
 *     NDArray array = reader.read(name, manager);
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Data is assumed little-endian as the format prescribes; the arrays are built
 * in the platform's byte order, which every platform DJL runs on shares.
 */
public final class SafetensorsReader implements AutoCloseable {

  /** A header larger than this is refused rather than allocated (the reference limit is 100 MB). */
  static final long MAX_HEADER_BYTES = 100L << 20;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsReader(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens a file and reads and checks its header.
   *
   * @throws SafetensorsFormatException when the file is truncated, its header is not JSON or not
   *     the expected object, or a tensor's offsets fall outside the data or disagree with its shape
   * @throws IOException when the file cannot be read
   */
  public static SafetensorsReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) {
        throw new SafetensorsFormatException(
            file, "it has " + size + " bytes, fewer than the 8 of the header length; truncated?");
      }
      ByteBuffer prefix = readFully(channel, 0, 8);
      long headerLength = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
        throw new SafetensorsFormatException(
            file,
            "its header length field says "
                + Long.toUnsignedString(headerLength)
                + " bytes, outside 2 .. "
                + MAX_HEADER_BYTES
                + "; is it a safetensors file?");
      }
      if (8 + headerLength > size) {
        throw new SafetensorsFormatException(
            file,
            "the header should take "
                + headerLength
                + " bytes but the file has only "
                + (size - 8)
                + " after the length field; the file is truncated");
      }
      ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
      String header = StandardCharsets.UTF_8.decode(headerBytes).toString();
      Object parsed;
      try {
        parsed = Json.parse(header);
      } catch (Json.ParseException e) {
        throw new SafetensorsFormatException(file, "its header is not JSON: " + e.getMessage());
      }
      if (!(parsed instanceof Map)) {
        throw new SafetensorsFormatException(file, "its header is JSON but not an object");
      }
      long dataSize = size - 8 - headerLength;
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
        String name = (String) e.getKey();
        if ("__metadata__".equals(name)) {
          readMetadata(file, e.getValue(), metadata);
        } else {
          tensors.put(name, entry(file, name, e.getValue(), dataSize));
        }
      }
      return new SafetensorsReader(
          file,
          channel,
          8 + headerLength,
          Collections.unmodifiableMap(tensors),
          Collections.unmodifiableMap(metadata));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void readMetadata(Path file, Object value, Map<String, String> into)
      throws SafetensorsFormatException {
    if (!(value instanceof Map)) {
      throw new SafetensorsFormatException(file, "\"__metadata__\" must be an object of strings");
    }
    for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
      if (!(m.getValue() instanceof String)) {
        throw new SafetensorsFormatException(
            file, "\"__metadata__\" value of \"" + m.getKey() + "\" is not a string");
      }
      into.put((String) m.getKey(), (String) m.getValue());
    }
  }

  private static TensorInfo entry(Path file, String name, Object value, long dataSize)
      throws SafetensorsFormatException {
    String where = "tensor \"" + name + "\": ";
    if (!(value instanceof Map)) {
      throw new SafetensorsFormatException(file, where + "its entry is not an object");
    }
    Map<?, ?> fields = (Map<?, ?>) value;
    Object dtype = fields.get("dtype");
    if (!(dtype instanceof String string)) {
      throw new SafetensorsFormatException(file, where + "\"dtype\" is missing or not a string");
    }
    SafetensorsDataType type = SafetensorsDataType.parse(string);
    if (type == null) {
      throw new SafetensorsFormatException(
          file,
          where
              + "unsupported dtype \""
              + dtype
              + "\"; supported: "
              + java.util.Arrays.toString(SafetensorsDataType.values()));
    }
    long[] dims = longs(file, where, "shape", fields.get("shape"), -1);
    long[] offsets = longs(file, where, "data_offsets", fields.get("data_offsets"), 2);
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new SafetensorsFormatException(file, where + "negative dimension in shape");
      }
      elements = Math.multiplyExact(elements, d);
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (begin < 0 || end < begin || end > dataSize) {
      throw new SafetensorsFormatException(
          file,
          where
              + "data_offsets ["
              + begin
              + ", "
              + end
              + "] are out of range of the "
              + dataSize
              + " data bytes"
              + (end > dataSize ? "; the file is truncated or the header is wrong" : ""));
    }
    long expected = elements * type.bytes();
    if (end - begin != expected) {
      throw new SafetensorsFormatException(
          file,
          where
              + "data_offsets ["
              + begin
              + ", "
              + end
              + "] span "
              + (end - begin)
              + " bytes but shape "
              + new Shape(dims)
              + " of "
              + type
              + " needs "
              + expected);
    }
    return new TensorInfo(name, type, new Shape(dims), begin, end);
  }

  private static long[] longs(Path file, String where, String field, Object value, int length)
      throws SafetensorsFormatException {
    if (!(value instanceof List)) {
      throw new SafetensorsFormatException(
          file, where + "\"" + field + "\" is missing or not a list");
    }
    List<?> list = (List<?>) value;
    if (length >= 0 && list.size() != length) {
      throw new SafetensorsFormatException(
          file, where + "\"" + field + "\" must have " + length + " entries, has " + list.size());
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long)) {
        throw new SafetensorsFormatException(
            file, where + "\"" + field + "\" must hold integers, got " + list.get(i));
      }
      out[i] = (Long) list.get(i);
    }
    return out;
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
      }
    }
    buffer.flip();
    return buffer;
  }

  /** The file this reader reads. */
  public Path file() {
    return file;
  }

  /** The tensor names, in header order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** Whether the file holds a tensor of that name. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * A tensor's header entry.
   *
   * @throws IllegalArgumentException when the file has no such tensor
   */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new IllegalArgumentException("no tensor \"" + name + "\" in " + file);
    }
    return info;
  }

  /** Every tensor's header entry by name, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The header's {@code __metadata__} (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Reads one tensor into a new array.
   *
   * @param name the tensor
   * @param manager owns the returned array
   * @return the tensor with its shape, typed {@link SafetensorsDataType#readAs()} (as stored,
   *     except {@code BF16}, which is widened to float32)
   * @throws IllegalArgumentException when the file has no such tensor
   * @throws IOException when reading fails
   */
  public NDArray read(String name, NDManager manager) throws IOException {
    TensorInfo info = info(name);
    long bytes = info.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new IOException(
          "tensor \"" + name + "\" has " + bytes + " bytes; tensors over 2 GiB are not supported");
    }
    ByteBuffer data = readFully(channel, dataStart + info.begin(), (int) bytes);
    data.order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out;
    if (info.dataType() == SafetensorsDataType.BF16) {
      // bfloat16 is the upper 16 bits of a float32
      out = ByteBuffer.allocateDirect((int) bytes * 2).order(ByteOrder.nativeOrder());
      while (data.hasRemaining()) {
        out.putInt((data.getShort() & 0xffff) << 16);
      }
      out.flip();
    } else if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || info.dataType().bytes() == 1) {
      out = data.order(ByteOrder.nativeOrder());
    } else {
      out = swapToNative(data, info.dataType().bytes());
    }
    DataType type = info.dataType().readAs();
    return manager.create(out, info.shape(), type);
  }

  /** Copies little-endian elements of {@code width} bytes into a buffer of native order. */
  static ByteBuffer swapToNative(ByteBuffer littleEndian, int width) {
    ByteBuffer out =
        ByteBuffer.allocateDirect(littleEndian.remaining()).order(ByteOrder.nativeOrder());
    littleEndian.order(ByteOrder.LITTLE_ENDIAN);
    while (littleEndian.hasRemaining()) {
      switch (width) {
        case 2 -> out.putShort(littleEndian.getShort());
        case 4 -> out.putInt(littleEndian.getInt());
        default -> out.putLong(littleEndian.getLong());
      }
    }
    out.flip();
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
