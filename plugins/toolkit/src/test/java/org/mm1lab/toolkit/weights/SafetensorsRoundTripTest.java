package org.mm1lab.toolkit.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader and writer with real arrays on the PyTorch engine ({@link
 * SafetensorsReaderTest} covers header parsing and errors without one).
 */
class SafetensorsRoundTripTest {

  @TempDir Path directory;

  /**
   * The weights get the permissions any new file gets from the user's umask (a file made the
   * ordinary way in the same folder), not the owner-only mode of a {@code createTempFile}, and no
   * temporary file is left behind.
   */
  @Test
  void writtenWeightsHaveTheUmaskModeOfAnyNewFile() throws Exception {
    Assumptions.assumeTrue(
        directory.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file modes are POSIX permissions; this file system has none");
    Path reference = Files.writeString(directory.resolve("reference.txt"), "x");
    try (NDManager m = NDManager.newBaseManager()) {
      Path file = directory.resolve("w.safetensors");
      SafetensorsWriter.write(file, Map.of("w", m.create(new float[] {1f, 2f})), Map.of());
      SafetensorsWriter.write(file, Map.of("w", m.create(new float[] {3f})), Map.of());
      assertEquals(
          PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      try (Stream<Path> files = Files.list(directory)) {
        assertEquals(
            List.of("reference.txt", "w.safetensors"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }

  @Test
  void everyWrittenTypeReadsBackWithItsShapeAndValues() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      tensors.put("f32", m.create(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, new Shape(2, 3)));
      tensors.put("f16", m.create(new float[] {0.5f, -1f, 2f}).toType(DataType.FLOAT16, false));
      tensors.put("i64", m.create(new long[] {1L << 40, -3L}));
      tensors.put("i32", m.create(new int[] {7, -8, 9, 10}, new Shape(2, 2)));
      tensors.put("scalar", m.create(2.5f));
      Path file = directory.resolve("t.safetensors");
      SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
      assertEquals(0, headerLength(file) % 8, "the header is padded to keep the data aligned");

      try (SafetensorsReader reader = SafetensorsReader.open(file)) {
        assertEquals(List.of("f32", "f16", "i64", "i32", "scalar"), List.copyOf(reader.names()));
        assertEquals(Map.of("format", "pt"), reader.metadata());
        assertEquals(SafetensorsDataType.F16, reader.info("f16").dataType());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
          NDArray read = reader.read(e.getKey(), m);
          assertEquals(e.getValue().getShape(), read.getShape(), e.getKey());
          assertEquals(e.getValue().getDataType(), read.getDataType(), e.getKey());
          assertTrue(read.contentEquals(e.getValue()), e.getKey());
        }
        IllegalArgumentException missing =
            assertThrows(IllegalArgumentException.class, () -> reader.read("nope", m));
        assertTrue(missing.getMessage().contains("no tensor \"nope\""));
      }
    }
  }

  private static long headerLength(Path file) throws Exception {
    return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void bfloat16IsWidenedToFloat32() throws Exception {
    // 1.0 = 0x3F80, -2.5 = 0xC020, 0.15625 = 0x3E20 as bfloat16
    String json = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]}}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + header.length + 6).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(header.length).put(header);
    file.putShort((short) 0x3F80).putShort((short) 0xC020).putShort((short) 0x3E20);
    Path path = directory.resolve("bf16.safetensors");
    Files.write(path, file.array());
    try (SafetensorsReader reader = SafetensorsReader.open(path);
        NDManager m = NDManager.newBaseManager()) {
      NDArray w = reader.read("w", m);
      assertEquals(DataType.FLOAT32, w.getDataType());
      assertArrayEquals(new float[] {1f, -2.5f, 0.15625f}, w.toFloatArray());
    }
  }
}
