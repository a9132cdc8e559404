package org.mm1lab.core.data.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import org.mm1lab.core.data.Example;

/**
 * Writes interleaved documents as the JSON Lines that {@link InterleavedJsonlSource} reads. Images
 * are re-encoded as PNG and either written as files next to the {@code .jsonl} file, in a directory
 * {@code NAME-images/} ({@code NAME.jsonl} is the file), referred to by relative {@code "image"}
 * paths, or inlined as base64 {@code "image_bytes"}. Never overwrites: the file and every image
 * file must not exist.
 */
public final class InterleavedJsonlWriter implements AutoCloseable {

  /** Where the images go. */
  public enum ImageMode {
    /** PNG files in {@code NAME-images/}, referred to by relative paths. */
    FILES,
    /** Base64 PNG bytes inside the line. */
    INLINE
  }

  private final JsonlWriter out;
  private final ImageMode mode;
  private final Path imageDir;
  private final String imageDirName;

  /**
   * @param file the new {@code .jsonl} file (its directory is created when missing)
   * @param mode where the images go
   */
  public InterleavedJsonlWriter(Path file, ImageMode mode) {
    String name = file.getFileName().toString();
    this.imageDirName =
        (name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + "-images";
    this.imageDir = file.toAbsolutePath().resolveSibling(imageDirName);
    this.mode = mode;
    this.out = new JsonlWriter(file);
  }

  /** Writes one document. */
  public void write(Example.Interleaved example) {
    String key = Images.safeKey(example.id());
    JsonArray chunks = new JsonArray();
    int image = 0;
    for (Example.Chunk chunk : example.chunks()) {
      JsonObject object = new JsonObject();
      if (chunk instanceof Example.Chunk.TextChunk text) {
        object.addProperty("text", text.text());
      } else if (chunk instanceof Example.Chunk.Image img) {
        byte[] png = Images.png(img.image());
        if (mode == ImageMode.INLINE) {
          object.addProperty("image_bytes", Base64.getEncoder().encodeToString(png));
        } else {
          String fileName = key + "-" + image++ + ".png";
          Outputs.writeNew(imageDir.resolve(fileName), png);
          object.addProperty("image", imageDirName + "/" + fileName);
        }
      }
      chunks.add(object);
    }
    JsonObject line = new JsonObject();
    line.addProperty("id", example.id());
    line.add("chunks", chunks);
    out.write(line);
  }

  /** Documents written so far. */
  public long records() {
    return out.lines();
  }

  @Override
  public void close() {
    out.close();
  }
}
