package org.mm1lab.toolkit.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header parsing and format errors; no engine needed (reading arrays is tested with PyTorch). */
class SafetensorsReaderTest {

  @TempDir Path directory;

  private Path file(String header, int dataBytes) throws Exception {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    Path path = Files.createTempFile(directory, "t", ".safetensors");
    Files.write(path, b.array());
    return path;
  }

  private SafetensorsFormatException invalid(Path path) {
    return assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.open(path));
  }

  @Test
  void listsNamesShapesTypesAndMetadata() throws Exception {
    String header =
        "{\"__metadata__\": {\"format\": \"pt\"},"
            + " \"b\": {\"dtype\": \"BF16\", \"shape\": [2, 3], \"data_offsets\": [16, 28]},"
            + " \"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
            + " \"s\": {\"dtype\": \"I64\", \"shape\": [], \"data_offsets\": [28, 36]}}";
    try (SafetensorsReader reader = SafetensorsReader.open(file(header, 36))) {
      assertEquals(List.of("b", "a", "s"), List.copyOf(reader.names()));
      assertEquals(Map.of("format", "pt"), reader.metadata());
      TensorInfo b = reader.info("b");
      assertEquals(SafetensorsDataType.BF16, b.dataType());
      assertEquals(new Shape(2, 3), b.shape());
      assertEquals(12, b.byteSize());
      assertEquals(new Shape(), reader.info("s").shape());
      assertEquals(SafetensorsDataType.I64, reader.info("s").dataType());
    }
  }

  @Test
  void aTruncatedFileIsReported() throws Exception {
    Path tiny = directory.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertTrue(invalid(tiny).getMessage().contains("fewer than the 8"));

    String header = "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}";
    Path whole = file(header, 16);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = directory.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
    String message = invalid(cut).getMessage();
    assertTrue(message.contains("out of range of the 12 data bytes"), message);
    assertTrue(message.contains("truncated"), message);

    Path headerCut = directory.resolve("header-cut.safetensors");
    Files.write(headerCut, Arrays.copyOf(bytes, 20));
    assertTrue(invalid(headerCut).getMessage().contains("the file is truncated"));
  }

  @Test
  void aHeaderThatIsNotJsonIsReported() throws Exception {
    String message = invalid(file("{\"a\": [1, 2,, }", 0)).getMessage();
    assertTrue(message.contains("is not a valid safetensors file"), message);
    assertTrue(message.contains("its header is not JSON"), message);
    assertTrue(message.contains("at character"), message);
    assertTrue(invalid(file("[1, 2]", 0)).getMessage().contains("not an object"));
  }

  @Test
  void offsetsOutOfRangeOrDisagreeingWithTheShapeAreReported() throws Exception {
    String beyond = "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]}}";
    String message = invalid(file(beyond, 16)).getMessage();
    assertTrue(message.contains("tensor \"a\": data_offsets [8, 24] are out of range"), message);
    String reversed = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}";
    assertTrue(invalid(file(reversed, 16)).getMessage().contains("out of range"));
    String wrongSize = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 12]}}";
    assertTrue(invalid(file(wrongSize, 16)).getMessage().contains("needs 8"));
    String dtype = "{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [2], \"data_offsets\": [0, 2]}}";
    assertTrue(invalid(file(dtype, 2)).getMessage().contains("unsupported dtype \"F8_E4M3\""));
    String noShape = "{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}";
    assertTrue(invalid(file(noShape, 4)).getMessage().contains("\"shape\" is missing"));
  }

  @Test
  void jsonHandlesEscapesNumbersAndLiterals() throws Exception {
    Object parsed = Json.parse(" {\"a\\\"b\\u0041\": [1, -2.5e1, true, false, null, {}]} ");
    assertEquals(Map.of("a\"bA", Arrays.asList(1L, -25.0, true, false, null, Map.of())), parsed);
    assertEquals("\"q\\\"\\\\\\u000a\"", Json.quote("q\"\\\n"));
    assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": 1} x"));
    assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
  }

  @Test
  void jsonErrorsNameWhatWhereAndTheCharacter() {
    Json.ParseException commas =
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": [1, 2,, }"));
    assertEquals("malformed JSON in $.a[2] at character 12", commas.getMessage());
    Json.ParseException escape =
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": \"x\\q\"}"));
    assertEquals("Invalid escape sequence in $.a at character 9", escape.getMessage());
    Json.ParseException end =
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": [1"));
    assertEquals("unexpected end of text at character 8", end.getMessage());
    Json.ParseException after =
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": 1} x"));
    assertEquals("unexpected text after the JSON value at character 9", after.getMessage());
    Json.ParseException duplicate =
        assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
    assertEquals("duplicate key \"a\" at character 9", duplicate.getMessage());
    Json.ParseException big =
        assertThrows(Json.ParseException.class, () -> Json.parse("[99999999999999999999]"));
    assertEquals("bad number '99999999999999999999' at character 1", big.getMessage());
  }
}
