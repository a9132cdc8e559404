package org.mm1lab.core.data.formats;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;

/**
 * Captions from a Karpathy split file ({@code dataset_coco.json}, also {@code
 * dataset_flickr8k.json} and {@code dataset_flickr30k.json}), the split most captioning work trains
 * and reports on: for training, one {@link Example.Captioned} per sentence of the images in the
 * chosen splits ({@link #open(long)}); for evaluation, one {@link EvalItem.Caption} per image with
 * its sentences as references ({@link #evalItems()}).
 *
 * <p>Schema (other fields are ignored):
 *
 * <pre>{@code
 * {"images": [{"filepath": "val2014", "filename": "COCO_val2014_000000391895.jpg",
 *              "split": "test", "cocoid": 391895,
 *              "sentences": [{"raw": "A man with a red helmet ...", "tokens": [...]}, ...]},
 *             ...],
 *  "dataset": "coco"}
 * }</pre>
 *
 * The image is {@code IMAGES/filepath/filename} ({@code IMAGES/filename} without {@code filepath},
 * as in the Flickr files). Splits are {@code train}, {@code restval}, {@code val} and {@code test};
 * Karpathy's training set is {@code train,restval}. An image whose file does not exist or that has
 * no sentence is one bad record ({@code dataset_coco.json: image NAME: reason}). The file is
 * streamed, never held in memory.
 */
public final class KarpathySplitSource extends FileDataSource {

  /** The splits of Karpathy's files. */
  public static final List<String> SPLITS = List.of("train", "restval", "val", "test");

  private final Path file;
  private final Path imageRoot;
  private final Set<String> splits;

  /**
   * @param name the source's name in the run
   * @param file the {@code dataset_*.json}
   * @param imageRoot the folder that holds {@code train2014/} and {@code val2014/} (COCO) or the
   *     images themselves (Flickr)
   * @param splits comma-separated: which splits to read, e.g. {@code train,restval} or {@code test}
   * @param maxBadFraction the largest tolerated share of bad records, in [0, 1]
   * @throws UserException when a path does not exist or a split is unknown
   */
  public KarpathySplitSource(
      String name, Path file, Path imageRoot, String splits, double maxBadFraction) {
    super(
        name, List.of(CocoCaptionSource.requireFile(name, file)), file.toString(), maxBadFraction);
    if (!Files.isDirectory(imageRoot)) {
      throw new UserException(
          "data source '" + name + "': image folder " + imageRoot + " does not exist");
    }
    this.file = file;
    this.imageRoot = imageRoot;
    this.splits = new LinkedHashSet<>();
    for (String split : splits.split("[,+]")) {
      String trimmed = split.strip();
      if (!SPLITS.contains(trimmed)) {
        throw new UserException(
            "data source '"
                + name
                + "': split '"
                + trimmed
                + "' is not one of "
                + String.join(", ", SPLITS)
                + " (Karpathy's training set is train,restval)");
      }
      this.splits.add(trimmed);
    }
  }

  /** One image entry of the file. */
  private record Image(String name, String id, String split, Path file, List<String> sentences) {}

  /** Reads image entries one by one. */
  private final class Images implements AutoCloseable {
    private final JsonReader reader;
    private final boolean found;

    Images() throws IOException {
      reader = CocoCaptionSource.open(file);
      try {
        found = CocoCaptionSource.toArray(reader, "images");
      } catch (IOException | RuntimeException e) {
        reader.close();
        throw e;
      }
      if (!found) {
        reader.close();
        throw new UserException(
            file
                + " has no \"images\" array; a Karpathy split file is {\"images\": [{\"filename\","
                + " \"split\", \"sentences\": [...]}, ...]}");
      }
    }

    /** The next image in the chosen splits, or null at the end. */
    Image next() throws IOException {
      while (reader.hasNext()) {
        Image image = read();
        if (image != null && splits.contains(image.split())) {
          return image;
        }
      }
      return null;
    }

    private Image read() throws IOException {
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        reader.skipValue();
        return null;
      }
      String filepath = null;
      String filename = null;
      String split = null;
      String id = null;
      List<String> sentences = new ArrayList<>();
      reader.beginObject();
      while (reader.hasNext()) {
        switch (reader.nextName()) {
          case "filepath" -> filepath = Jsons.nextStringOrNull(reader);
          case "filename" -> filename = Jsons.nextStringOrNull(reader);
          case "split" -> split = Jsons.nextStringOrNull(reader);
          case "cocoid" -> id = Jsons.nextId(reader);
          case "imgid" -> {
            String imgid = Jsons.nextId(reader);
            id = id == null ? imgid : id;
          }
          case "sentences" -> readSentences(sentences);
          default -> reader.skipValue();
        }
      }
      reader.endObject();
      if (filename == null) {
        return new Image("#" + id, id, split, null, sentences);
      }
      Path dir = filepath == null ? imageRoot : imageRoot.resolve(filepath);
      return new Image(
          filename, id != null ? id : filename, split, dir.resolve(filename), sentences);
    }

    private void readSentences(List<String> sentences) throws IOException {
      if (reader.peek() != JsonToken.BEGIN_ARRAY) {
        reader.skipValue();
        return;
      }
      reader.beginArray();
      while (reader.hasNext()) {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        reader.beginObject();
        while (reader.hasNext()) {
          if (reader.nextName().equals("raw")) {
            String raw = Jsons.nextStringOrNull(reader);
            if (raw != null && !raw.isBlank()) {
              sentences.add(raw.strip());
            }
          } else {
            reader.skipValue();
          }
        }
        reader.endObject();
      }
      reader.endArray();
    }

    /** Why an image cannot be used, or null. */
    String problem(Image image) {
      if (image.file() == null) {
        return "no filename";
      }
      if (image.sentences().isEmpty()) {
        return "no sentences";
      }
      if (!Files.isRegularFile(image.file())) {
        return "image file " + imageRoot.relativize(image.file()) + " does not exist";
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  @Override
  protected RecordReader openFile(Path ignored) throws IOException {
    Images images = new Images();
    return new RecordReader() {
      private final Deque<Example.Captioned> pending = new ArrayDeque<>();

      @Override
      public ReadRecord next() throws IOException {
        while (pending.isEmpty()) {
          Image image = images.next();
          if (image == null) {
            return null;
          }
          String problem = images.problem(image);
          if (problem != null) {
            return ReadRecord.bad("image " + image.name(), problem);
          }
          ImageSource source = ImageSource.ofFile(image.file());
          for (int i = 0; i < image.sentences().size(); i++) {
            pending.add(
                new Example.Captioned(image.id() + "-" + i, source, image.sentences().get(i)));
          }
        }
        return ReadRecord.good(pending.poll());
      }

      @Override
      public void close() throws IOException {
        images.close();
      }
    };
  }

  /**
   * The chosen splits as evaluation items: one per image, in file order, with its sentences as
   * references. One pass.
   */
  public EvalStream<EvalItem.Caption> evalItems() {
    Images images;
    try {
      images = new Images();
    } catch (IOException e) {
      throw new UserException(
          "data source '" + name() + "': cannot read " + file + ": " + e.getMessage(), e);
    }
    return new BaseEvalStream<>(
        name(), file.toString(), file.getFileName().toString(), maxBadFraction()) {
      @Override
      Read<EvalItem.Caption> read() throws IOException {
        Image image = images.next();
        if (image == null) {
          return null;
        }
        String key = "image " + image.name();
        String problem = images.problem(image);
        if (problem != null) {
          return new Read<>(null, key, problem);
        }
        return new Read<>(
            new EvalItem.Caption(image.id(), ImageSource.ofFile(image.file()), image.sentences()),
            key,
            null);
      }

      @Override
      void closeFiles() throws IOException {
        images.close();
      }
    };
  }
}
