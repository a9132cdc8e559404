package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes arrays to a safetensors file in the standard layout: tensors in the map's iteration order,
 * the header padded with spaces to a multiple of 8 bytes so that the data stays aligned, data
 * little-endian. The file is written to a temporary sibling and moved into place, so a crash never
 * leaves a half-written checkpoint under the final name.
 */
public final class SafetensorsWriter {

  private SafetensorsWriter() {}

  /** Writes {@code tensors} without metadata; see {@link #write(Path, Map, Map)}. */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /**
   * Writes {@code tensors} (name to array, any of the types {@link SafetensorsDataType#of} accepts)
   * and optional string {@code metadata} to {@code file}, replacing it.
   *
   * @throws IllegalArgumentException for a name {@code __metadata__} or an unsupported type
   */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    StringBuilder header = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      header.append("\"__metadata__\":{");
      String separator = "";
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        header.append(separator).append(Json.quote(m.getKey())).append(':');
        header.append(Json.quote(m.getValue()));
        separator = ",";
      }
      header.append('}');
    }
    List<NDArray> arrays = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, NDArray> t : tensors.entrySet()) {
      if ("__metadata__".equals(t.getKey())) {
        throw new IllegalArgumentException("\"__metadata__\" is reserved, not a tensor name");
      }
      NDArray array = t.getValue();
      SafetensorsDataType type = SafetensorsDataType.of(array.getDataType());
      long bytes = array.size() * type.bytes();
      if (header.length() > 1) {
        header.append(',');
      }
      header.append(Json.quote(t.getKey())).append(":{\"dtype\":\"").append(type).append("\"");
      header.append(",\"shape\":[");
      long[] dims = array.getShape().getShape();
      for (int i = 0; i < dims.length; i++) {
        header.append(i == 0 ? "" : ",").append(dims[i]);
      }
      header.append("],\"data_offsets\":[").append(offset).append(',');
      header.append(offset + bytes).append("]}");
      offset += bytes;
      arrays.add(array);
    }
    header.append('}');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;

    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    // A plain sibling, not createTempFile (whose files are private to the owner), so that the
    // weights get the permissions the user's umask gives new files, as the rest of the run does.
    Path temporary =
        parent.resolve(
            "."
                + file.getFileName()
                + "-"
                + ProcessHandle.current().pid()
                + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".partial");
    try {
      try (OutputStream stream =
              Files.newOutputStream(
                  temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          WritableByteChannel channel = Channels.newChannel(stream)) {
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
          prefix.put((byte) ' ');
        }
        prefix.flip();
        writeFully(channel, prefix);
        for (NDArray array : arrays) {
          writeFully(channel, littleEndian(array));
        }
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static ByteBuffer littleEndian(NDArray array) {
    ByteBuffer data = array.toByteBuffer();
    int width = array.getDataType().getNumOfBytes();
    if (data.order() == ByteOrder.LITTLE_ENDIAN || width == 1) {
      return data;
    }
    ByteBuffer out = ByteBuffer.allocate(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    while (data.hasRemaining()) {
      switch (width) {
        case 2 -> out.putShort(data.getShort());
        case 4 -> out.putInt(data.getInt());
        default -> out.putLong(data.getLong());
      }
    }
    out.flip();
    return out;
  }

  private static void writeFully(WritableByteChannel channel, ByteBuffer buffer)
      throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
