package org.mm1lab.core.data.formats;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Captions in the COCO caption layout: for training, one {@link Example.Captioned} per annotation
 * ({@link #open(long)}); for evaluation, one {@link EvalItem.Caption} per image with all its
 * captions as references ({@link #evalItems()}).
 *
 * <p>Schema (other fields are ignored; the order of the top-level fields does not matter):
 *
 * <pre>{@code
 * {"images": [{"id": 42, "file_name": "000000000042.png"}, ...],
 *  "annotations": [{"id": 7, "image_id": 42, "caption": "A red square."}, ...]}
 * }</pre>
 *
 * {@code file_name} is relative to the image directory given to the constructor. The file is
 * streamed with a {@link JsonReader}, never parsed into a tree: the reader keeps only the table of
 * image ids to file names in memory (and, for {@link #evalItems()}, the caption strings), never the
 * images. An annotation with no caption, an unknown {@code image_id} or an image file that does not
 * exist is a bad record ({@code captions.json: annotation 7: reason}).
 */
public final class CocoCaptionSource extends FileDataSource {

  private final Path captions;
  private final Path imageDir;

  /**
   * @param name the source's name in the run
   * @param captions the COCO-style JSON file
   * @param imageDir the directory that {@code file_name}s are relative to
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   * @throws UserException when the file or directory does not exist
   */
  public CocoCaptionSource(String name, Path captions, Path imageDir, double maxBadFraction) {
    super(name, List.of(requireFile(name, captions)), captions.toString(), maxBadFraction);
    if (!Files.isDirectory(imageDir)) {
      throw new UserException(
          "data source '" + name + "': image directory " + imageDir + " does not exist");
    }
    this.captions = captions;
    this.imageDir = imageDir;
  }

  /**
   * Reads the captions as evaluation items: one per image that has at least one caption, in the
   * order of {@code images}, with all its captions as references. One pass; empty or too-bad sets
   * stop with a clear message when the pass ends.
   */
  public EvalStream<EvalItem.Caption> evalItems() {
    Map<String, String> images;
    Map<String, List<String>> references = new LinkedHashMap<>();
    try {
      images = readImages(captions);
      try (JsonReader reader = open(captions)) {
        if (toArray(reader, "annotations")) {
          while (reader.hasNext()) {
            Annotation a = Annotation.read(reader);
            if (a.imageId != null && a.caption != null && !a.caption.isBlank()) {
              references.computeIfAbsent(a.imageId, k -> new ArrayList<>()).add(a.caption.strip());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UserException(
          "data source '" + name() + "': cannot read " + captions + ": " + e.getMessage(), e);
    }
    Iterator<Map.Entry<String, String>> it = images.entrySet().iterator();
    return new BaseEvalStream<>(
        name(), captions.toString(), captions.getFileName().toString(), maxBadFraction()) {
      @Override
      Read<EvalItem.Caption> read() {
        if (!it.hasNext()) {
          return null;
        }
        Map.Entry<String, String> image = it.next();
        String key = "image " + image.getKey();
        List<String> refs = references.get(image.getKey());
        if (refs == null) {
          return new Read<>(null, key, "no captions");
        }
        Path file = imageDir.resolve(image.getValue());
        if (!Files.isRegularFile(file)) {
          return new Read<>(null, key, "image file " + image.getValue() + " does not exist");
        }
        return new Read<>(
            new EvalItem.Caption(image.getKey(), ImageSource.ofFile(file), refs), key, null);
      }

      @Override
      void closeFiles() {}
    };
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    Map<String, String> images = readImages(file);
    JsonReader reader = open(file);
    boolean found;
    try {
      found = toArray(reader, "annotations");
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
    return new RecordReader() {
      private long index;

      @Override
      public ReadRecord next() throws IOException {
        if (!found || !reader.hasNext()) {
          return null;
        }
        Annotation a = Annotation.read(reader);
        String key = "annotation " + (a.id != null ? a.id : "#" + index);
        index++;
        if (a.imageId == null) {
          return ReadRecord.bad(key, "no image_id");
        }
        if (a.caption == null || a.caption.isBlank()) {
          return ReadRecord.bad(key, "no caption");
        }
        String fileName = images.get(a.imageId);
        if (fileName == null) {
          return ReadRecord.bad(key, "image_id " + a.imageId + " is not in \"images\"");
        }
        Path imageFile = imageDir.resolve(fileName);
        if (!Files.isRegularFile(imageFile)) {
          return ReadRecord.bad(key, "image file " + fileName + " does not exist");
        }
        String id = a.id != null ? a.id : a.imageId + "-" + (index - 1);
        return ReadRecord.good(
            new Example.Captioned(id, ImageSource.ofFile(imageFile), a.caption.strip()));
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }

  /** One annotation's fields. */
  private record Annotation(String id, String imageId, String caption) {
    static Annotation read(JsonReader reader) throws IOException {
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        reader.skipValue();
        return new Annotation(null, null, null);
      }
      String id = null;
      String imageId = null;
      String caption = null;
      reader.beginObject();
      while (reader.hasNext()) {
        switch (reader.nextName()) {
          case "id" -> id = Jsons.nextId(reader);
          case "image_id" -> imageId = Jsons.nextId(reader);
          case "caption" -> caption = Jsons.nextStringOrNull(reader);
          default -> reader.skipValue();
        }
      }
      reader.endObject();
      return new Annotation(id, imageId, caption);
    }
  }

  /** Streams the file once for its {@code images} table: id to file name, in file order. */
  private static Map<String, String> readImages(Path file) throws IOException {
    Map<String, String> images = new LinkedHashMap<>();
    try (JsonReader reader = open(file)) {
      if (!toArray(reader, "images")) {
        return images;
      }
      while (reader.hasNext()) {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        String id = null;
        String fileName = null;
        reader.beginObject();
        while (reader.hasNext()) {
          switch (reader.nextName()) {
            case "id" -> id = Jsons.nextId(reader);
            case "file_name" -> fileName = Jsons.nextStringOrNull(reader);
            default -> reader.skipValue();
          }
        }
        reader.endObject();
        if (id != null && fileName != null) {
          images.put(id, fileName);
        }
      }
    }
    return images;
  }

  /**
   * Moves a reader at the start of the document into the array of a top-level field, skipping the
   * other fields unread; false when the field is not there.
   */
  static boolean toArray(JsonReader reader, String field) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (name.equals(field) && reader.peek() == JsonToken.BEGIN_ARRAY) {
        reader.beginArray();
        return true;
      }
      reader.skipValue();
    }
    return false;
  }

  /**
   * Opens a whole-document JSON file whose top level must be an object.
   *
   * @throws UserException when the top level is an array (LLaVA-style instruction data is one) or
   *     no JSON value at all, naming the file
   */
  static JsonReader open(Path file) throws IOException {
    JsonReader reader = reader(file);
    JsonToken first;
    try {
      first = reader.peek();
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw new UserException(file + " is not JSON: " + e.getMessage(), e);
    }
    if (first != JsonToken.BEGIN_OBJECT) {
      reader.close();
      throw new UserException(file + ": " + topLevelProblem(file, first));
    }
    return reader;
  }

  /**
   * Checks that a whole-document JSON file has an object at its top level.
   *
   * @throws UserException when it has not (LLaVA-style instruction data is an array), naming the
   *     file and what was found
   */
  public static void checkTopLevel(Path file) {
    try {
      open(file).close();
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonReader reader(Path file) throws IOException {
    return Jsons.reader(
        new BufferedReader(
            new InputStreamReader(Compression.open(file), StandardCharsets.UTF_8), 1 << 16));
  }

  /** What a top level that is not an object is, for the one-line refusal. */
  private static String topLevelProblem(Path file, JsonToken first) throws IOException {
    String expected =
        "expected a JSON object, as COCO captions ({\"images\", \"annotations\"}) and Karpathy"
            + " splits ({\"images\": [{\"sentences\"}]}) are";
    if (first != JsonToken.BEGIN_ARRAY) {
      return "the top level is " + first + ", not an object; " + expected;
    }
    try (JsonReader reader = reader(file)) {
      reader.beginArray();
      if (reader.hasNext() && reader.peek() == JsonToken.BEGIN_OBJECT) {
        reader.beginObject();
        while (reader.hasNext()) {
          if (reader.nextName().equals("conversations")) {
            return "LLaVA-style instruction data (a JSON array of {\"image\", \"conversations\"}),"
                + " which MM1 Lab does not read: it has no source format for conversations with"
                + " loss on the assistant turns; "
                + expected;
          }
          reader.skipValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      // The array's content does not matter for the message.
    }
    return "the top level is a JSON array; " + expected;
  }

  static Path requireFile(String name, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserException("data source '" + name + "': " + file + " does not exist");
    }
    return file;
  }
}
