package org.mm1lab.core.data.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Interleaved image-text documents from JSON Lines files, yielded as {@link Example.Interleaved}.
 *
 * <p>Schema, one JSON object per line (blank lines ignored):
 *
 * <pre>{@code
 * {"id": "doc-3",
 *  "chunks": [{"text": "A red square sits "},
 *             {"image": "images/doc-3-0.png"},
 *             {"text": "next to "},
 *             {"image_bytes": "iVBORw0KGgo..."}]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code id} (string or number): optional; without it the id is {@code FILE:line N}.
 *   <li>{@code chunks}: required, non-empty, in reading order. Each chunk is an object with exactly
 *       one of: {@code text} (a string), {@code image} (a path to an image file, relative to the
 *       directory of the {@code .jsonl} file, or absolute), {@code image_bytes} (the encoded image,
 *       PNG or JPEG, in standard base64).
 * </ul>
 *
 * A line that breaks the schema, an empty or invalid {@code image_bytes}, or an {@code image} file
 * that does not exist makes the document a bad record ({@code file.jsonl: line N: reason}). Images
 * are decoded later, by the pipeline.
 */
public final class InterleavedJsonlSource extends FileDataSource {

  /**
   * @param name the source's name in the run
   * @param paths JSON Lines files (plain, or compressed: {@code .jsonl.gz}, {@code .json.gz}) and
   *     directories of them (their {@link Compression#JSONL_SUFFIXES} files, sorted by name); read
   *     in the order given
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   */
  public InterleavedJsonlSource(String name, List<Path> paths, double maxBadFraction) {
    super(
        name,
        listFiles(name, paths, Compression.JSONL_SUFFIXES.toArray(String[]::new)),
        describe(paths),
        maxBadFraction);
  }

  /** One file or directory. */
  public InterleavedJsonlSource(String name, Path path, double maxBadFraction) {
    this(name, List.of(path), maxBadFraction);
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    Path base = file.toAbsolutePath().getParent();
    String fileName = file.getFileName().toString();
    return new JsonlRecords(file, (line, key) -> parse(line, key, base, fileName));
  }

  private static ReadRecord parse(JsonObject line, String key, Path base, String fileName) {
    JsonElement chunksValue = line.get("chunks");
    if (chunksValue == null || !chunksValue.isJsonArray()) {
      return ReadRecord.bad(key, "no array field \"chunks\"" + Jsons.layoutHint(line));
    }
    JsonArray array = chunksValue.getAsJsonArray();
    if (array.isEmpty()) {
      return ReadRecord.bad(key, "\"chunks\" is empty");
    }
    List<Example.Chunk> chunks = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String where = "chunk " + i + ": ";
      JsonElement element = array.get(i);
      if (!element.isJsonObject()) {
        return ReadRecord.bad(key, where + "not an object");
      }
      JsonObject chunk = element.getAsJsonObject();
      if (chunk.size() != 1) {
        return ReadRecord.bad(
            key, where + "needs exactly one of \"text\", \"image\", \"image_bytes\"");
      }
      String text = Jsons.stringOf(chunk, "text");
      String image = Jsons.stringOf(chunk, "image");
      String imageBytes = Jsons.stringOf(chunk, "image_bytes");
      if (text != null) {
        chunks.add(new Example.Chunk.TextChunk(text));
      } else if (image != null) {
        Path imageFile;
        try {
          imageFile = base.resolve(image);
        } catch (RuntimeException e) {
          return ReadRecord.bad(key, where + "bad image path '" + image + "'");
        }
        if (!Files.isRegularFile(imageFile)) {
          return ReadRecord.bad(key, where + "image file " + image + " does not exist");
        }
        chunks.add(new Example.Chunk.Image(ImageSource.ofFile(imageFile)));
      } else if (imageBytes != null) {
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(imageBytes);
        } catch (IllegalArgumentException e) {
          return ReadRecord.bad(key, where + "image_bytes is not valid base64");
        }
        if (bytes.length == 0) {
          return ReadRecord.bad(key, where + "image_bytes is empty");
        }
        chunks.add(
            new Example.Chunk.Image(
                ImageSource.ofBytes(bytes, fileName + ", " + key + ", " + where + "image_bytes")));
      } else {
        return ReadRecord.bad(key, where + "needs a string \"text\", \"image\" or \"image_bytes\"");
      }
    }
    String id = Jsons.idOf(line, "id");
    return ReadRecord.good(new Example.Interleaved(id != null ? id : fileName + ":" + key, chunks));
  }
}
