package org.mm1lab.core.data.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Interleaved documents in the OBELICS layout, yielded as {@link Example.Interleaved}: JSON Lines
 * (plain or compressed), one document per line, with two parallel lists in reading order; at each
 * position exactly one of them holds a value and the other {@code null}:
 *
 * <pre>{@code
 * {"texts":  [null, "A red square sits next to", null, "a circle."],
 *  "images": ["images/doc-3-0.jpg", null, "images/doc-3-1.jpg", null],
 *  "metadata": "...", "general_metadata": "..."}
 * }</pre>
 *
 * An image is a path relative to the folder of the JSON Lines file (or absolute). OBELICS ships
 * image URLs: a document that still has one is a bad record that says to download the images first
 * (img2dataset does) and to put their paths in its place; nothing is fetched. Lists of different
 * lengths, a position with both or neither value, or an image file that does not exist make the
 * document a bad record ({@code file.jsonl: line N: reason}). The id is {@code FILE:line N}.
 */
public final class ObelicsSource extends FileDataSource {

  /**
   * @param name the source's name in the run
   * @param paths JSON Lines files and folders of them, read in the order given
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   */
  public ObelicsSource(String name, List<Path> paths, double maxBadFraction) {
    super(
        name,
        listFiles(name, paths, Compression.JSONL_SUFFIXES.toArray(String[]::new)),
        describe(paths),
        maxBadFraction);
  }

  @Override
  protected RecordReader openFile(Path file) throws IOException {
    Path base = file.toAbsolutePath().getParent();
    String fileName = file.getFileName().toString();
    return new JsonlRecords(file, (line, key) -> parse(line, key, base, fileName));
  }

  private static ReadRecord parse(JsonObject line, String key, Path base, String fileName) {
    JsonElement textsValue = line.get("texts");
    JsonElement imagesValue = line.get("images");
    if (textsValue == null
        || !textsValue.isJsonArray()
        || imagesValue == null
        || !imagesValue.isJsonArray()) {
      return ReadRecord.bad(key, "needs the parallel arrays \"texts\" and \"images\" of OBELICS");
    }
    JsonArray texts = textsValue.getAsJsonArray();
    JsonArray images = imagesValue.getAsJsonArray();
    if (texts.size() != images.size()) {
      return ReadRecord.bad(
          key,
          "\"texts\" has "
              + texts.size()
              + " entries and \"images\" "
              + images.size()
              + "; they must be parallel");
    }
    List<Example.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = stringOrNull(texts.get(i));
      String image = stringOrNull(images.get(i));
      boolean hasText = !texts.get(i).isJsonNull();
      boolean hasImage = !images.get(i).isJsonNull();
      String where = "position " + i + ": ";
      if (hasText == hasImage) {
        return ReadRecord.bad(
            key, where + (hasText ? "both a text and an image" : "neither a text nor an image"));
      }
      if (hasText) {
        if (text == null) {
          return ReadRecord.bad(key, where + "the text is not a string");
        }
        chunks.add(new Example.Chunk.TextChunk(text));
        continue;
      }
      if (image == null) {
        return ReadRecord.bad(key, where + "the image is not a string (a path)");
      }
      if (image.startsWith("http://") || image.startsWith("https://")) {
        return ReadRecord.bad(
            key,
            where
                + "the image is a URL ("
                + image
                + "); download the images first (img2dataset does) and put their paths in"
                + " \"images\"");
      }
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
    }
    if (chunks.isEmpty()) {
      return ReadRecord.bad(key, "an empty document");
    }
    return ReadRecord.good(new Example.Interleaved(fileName + ":" + key, chunks));
  }

  private static String stringOrNull(JsonElement element) {
    return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()
        ? element.getAsString()
        : null;
  }
}
