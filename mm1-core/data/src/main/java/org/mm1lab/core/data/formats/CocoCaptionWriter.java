package org.mm1lab.core.data.formats;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Writes captions in the COCO layout that {@link CocoCaptionSource} reads: images as PNG files
 * {@code %012d.png} (by image id, counting from 1) in an image directory, and on {@link #close()}
 * the JSON file with {@code images} and {@code annotations}. The images are written as they come;
 * only the small id, file name and caption strings are held until the end. Never overwrites: the
 * JSON file and every image file must not exist.
 */
public final class CocoCaptionWriter implements AutoCloseable {

  private record Annotation(long id, long imageId, String caption) {}

  private final Path captions;
  private final Path imageDir;
  private final List<String> fileNames = new ArrayList<>();
  private final List<Annotation> annotations = new ArrayList<>();
  private boolean closed;

  /**
   * @param captions the new JSON file
   * @param imageDir the image directory (created when missing)
   */
  public CocoCaptionWriter(Path captions, Path imageDir) {
    Outputs.requireAbsent(captions);
    this.captions = captions;
    this.imageDir = imageDir;
  }

  /**
   * Adds one image with its captions.
   *
   * @return the image id
   */
  public long add(ImageSource image, List<String> imageCaptions) {
    long imageId = fileNames.size() + 1L;
    String fileName = String.format("%012d.png", imageId);
    Outputs.writeNew(imageDir.resolve(fileName), Images.png(image));
    fileNames.add(fileName);
    for (String caption : imageCaptions) {
      annotations.add(new Annotation(annotations.size() + 1, imageId, caption));
    }
    return imageId;
  }

  /** Adds an evaluation item: its image and all its references. */
  public long write(EvalItem.Caption item) {
    return add(item.image(), item.references());
  }

  /** Adds a training example: its image and its one caption. */
  public long write(Example.Captioned example) {
    return add(example.image(), List.of(example.caption()));
  }

  /** Writes the JSON file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (JsonWriter out =
        new JsonWriter(
            new OutputStreamWriter(Outputs.createNew(captions), StandardCharsets.UTF_8))) {
      out.setIndent(" ");
      out.beginObject();
      out.name("images").beginArray();
      for (int i = 0; i < fileNames.size(); i++) {
        out.beginObject().name("id").value(i + 1).name("file_name").value(fileNames.get(i));
        out.endObject();
      }
      out.endArray();
      out.name("annotations").beginArray();
      for (Annotation a : annotations) {
        out.beginObject().name("id").value(a.id()).name("image_id").value(a.imageId());
        out.name("caption").value(a.caption()).endObject();
      }
      out.endArray();
      out.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + captions + ": " + e.getMessage(), e);
    }
  }
}
