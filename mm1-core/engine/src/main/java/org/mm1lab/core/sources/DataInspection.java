package org.mm1lab.core.sources;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.BadRecords;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.formats.CocoCaptionSource;
import org.mm1lab.core.data.formats.EvalStream;
import org.mm1lab.core.data.formats.FileDataSource;
import org.mm1lab.core.data.formats.InterleavedJsonlSource;
import org.mm1lab.core.data.formats.TextJsonlSource;
import org.mm1lab.core.data.formats.TextTaskJsonlReader;
import org.mm1lab.core.data.formats.VqaReader;
import org.mm1lab.core.data.formats.WebDatasetSource;
import org.mm1lab.core.world.SyntheticWorld;

/**
 * What a data source holds: its format, how many records it has, how many are unreadable and why,
 * and a few examples. Reads everything once, decoding every image, and writes nothing.
 */
public final class DataInspection {

  /**
   * The findings.
   *
   * @param format the format detected
   * @param records records read, good and bad
   * @param images images decoded
   * @param bad unreadable records or images
   * @param examples the first few examples, one line each
   * @param badReasons the first few reasons, {@code where: what}
   */
  public record Report(
      String format,
      long records,
      long images,
      long bad,
      List<String> examples,
      List<String> badReasons) {}

  private static final int KEPT_REASONS = 10;

  private DataInspection() {}

  /**
   * Inspects a file or folder in one of the training formats, detected from what it holds.
   *
   * @param path a folder of {@code .tar} shards, a {@code .tar}, a {@code .jsonl}, or a COCO
   *     captions {@code .json}
   * @param cocoImages the image folder for a COCO file, or null to look beside it
   * @param samples how many examples to show
   */
  public static Report inspect(Path path, Path cocoImages, int samples) {
    if (!Files.exists(path)) {
      throw new UserException(path + " does not exist");
    }
    if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
      // Reading a FIFO would wait for a writer forever; a device would never end.
      throw new UserException(
          path + " is not a regular file (a FIFO, device or socket); give a file or a folder");
    }
    String format = detect(path);
    if (format.equals("vqa") || format.equals("jsonl-text-tasks")) {
      return inspectEvalSet(path, format, cocoImages, samples);
    }

    FileDataSource source =
        switch (format) {
          case "webdataset" -> new WebDatasetSource("inspect", path, 1.0);
          case "jsonl-interleaved" -> new InterleavedJsonlSource("inspect", path, 1.0);
          case "jsonl-text" -> new TextJsonlSource("inspect", path, 1.0);
          default -> new CocoCaptionSource("inspect", path, cocoImagesFor(path, cocoImages), 1.0);
        };
    Tally tally = new Tally(samples);
    try (DataSource.ExampleStream stream = source.onePass()) {
      while (stream.hasNext()) {
        tally.add(stream.next());
      }
      BadRecords bad = stream.badRecords();
      if (bad.read() == 0) {
        throw new UserException(
            path
                + " is empty: "
                + (format.equals("webdataset")
                    ? (Files.isDirectory(path) ? "its .tar shards hold" : "the shard holds")
                        + " no records"
                    : "it holds no records"));
      }
      List<String> reasons = new ArrayList<>(bad.reasons());
      reasons.addAll(tally.badReasons);
      return new Report(
          format,
          bad.read(),
          tally.images,
          bad.bad() + tally.badImages,
          tally.examples,
          reasons.subList(0, Math.min(KEPT_REASONS, reasons.size())));
    }
  }

  /** A few examples of each of the world's kinds. */
  public static Report inspectWorld(SyntheticWorld world, int samples) {
    Tally tally = new Tally(samples * SyntheticWorld.SOURCES.size());
    for (String kind : SyntheticWorld.SOURCES) {
      try (DataSource.ExampleStream stream = world.source(kind).open(0)) {
        for (int i = 0; i < samples; i++) {
          tally.add(stream.next());
        }
      }
    }
    return new Report(
        "world (in memory, endless)",
        tally.count,
        tally.images,
        tally.badImages,
        tally.examples,
        tally.badReasons);
  }

  private static String detect(Path path) {
    String name = path.getFileName().toString();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        List<String> names = files.map(p -> p.getFileName().toString()).toList();
        if (names.stream().anyMatch(n -> n.endsWith(".tar"))) {
          return "webdataset";
        }
        if (names.stream().anyMatch(n -> n.endsWith(".jsonl"))) {
          throw new UserException(path + " holds .jsonl files: inspect one of them");
        }
      } catch (IOException e) {
        throw new UserException("cannot list " + path + ": " + e.getMessage(), e);
      }
      throw new UserException(path + " holds no .tar shards; inspect a .tar, .jsonl or COCO .json");
    }
    if (name.endsWith(".tar")) {
      return "webdataset";
    }
    if (name.endsWith(".jsonl")) {
      if (firstLineHas(path, "\"chunks\"")) {
        return "jsonl-interleaved";
      }
      return firstLineHas(path, "\"prompt\"") ? "jsonl-text-tasks" : "jsonl-text";
    }
    if (name.endsWith(".json")) {
      return name.contains("questions") ? "vqa" : "coco";
    }
    throw new UserException(
        path
            + ": unknown format; inspect a folder of .tar shards, a .tar, a .jsonl or a COCO .json");
  }

  /**
   * An evaluation set: VQA questions (their annotations and images found beside them, as {@code mm1
   * data generate} and the VQA v2 release lay them out) or text tasks.
   */
  private static Report inspectEvalSet(Path path, String format, Path images, int samples) {
    Tally tally = new Tally(samples);
    if (format.equals("vqa")) {
      String name = path.getFileName().toString();
      Path annotations = path.resolveSibling(name.replace("questions", "annotations"));
      Path imageDir =
          images != null
              ? images
              : imagesBeside(path, name.replaceFirst("-?questions.*$", "").replaceFirst("_$", ""));
      VqaReader reader =
          new VqaReader("inspect", path, annotations, imageDir, imagePattern(imageDir), 1.0);
      try (EvalStream<EvalItem.Vqa> stream = reader.open()) {
        stream.forEachRemaining(
            item ->
                tally.add(
                    item.id(),
                    "vqa: " + item.question() + " -> " + item.answers(),
                    List.of(item.image())));
        return tally.report(format, stream.badRecords());
      }
    }
    try (EvalStream<EvalItem.TextTask> stream =
        new TextTaskJsonlReader("inspect", path, 1.0).open()) {
      stream.forEachRemaining(
          item ->
              tally.add(
                  item.id(),
                  item.task() + ": " + item.prompt() + " -> " + item.answer(),
                  List.of()));
      return tally.report(format, stream.badRecords());
    }
  }

  private static Path imagesBeside(Path json, String prefix) {
    Path parent = json.toAbsolutePath().getParent();
    for (Path candidate :
        List.of(parent.resolve(prefix + "-images"), parent.resolve("images"), parent)) {
      if (Files.isDirectory(candidate) && !candidate.equals(parent)) {
        return candidate;
      }
    }
    throw new UserException(
        json
            + ": cannot find its images beside it ("
            + prefix
            + "-images/ or images/); pass --images DIR");
  }

  /**
   * The file-name pattern of the images in a folder, from one of them: 000000000042.png ->
   * %012d.png.
   */
  private static String imagePattern(Path imageDir) {
    try (Stream<Path> files = Files.list(imageDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches(".*?[0-9]+\\.[A-Za-z]+"))
          .findFirst()
          .map(
              n -> {
                java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("^(.*?)([0-9]+)(\\.[A-Za-z]+)$").matcher(n);
                m.matches();
                String digits = m.group(2);
                String width =
                    digits.length() > 1 && digits.startsWith("0") ? "0" + digits.length() : "";
                return m.group(1).replace("%", "%%") + "%" + width + "d" + m.group(3);
              })
          .orElseThrow(() -> new UserException(imageDir + " holds no numbered image files"));
    } catch (IOException e) {
      throw new UserException("cannot list " + imageDir + ": " + e.getMessage(), e);
    }
  }

  private static boolean firstLineHas(Path file, String text) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          return line.contains(text);
        }
      }
      return false;
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path cocoImagesFor(Path json, Path given) {
    if (given != null) {
      return given;
    }
    String stem = json.getFileName().toString().replaceFirst("\\.json$", "");
    Path parent = json.toAbsolutePath().getParent();
    for (Path candidate : List.of(parent.resolve(stem + "-images"), parent.resolve("images"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new UserException(
        json
            + ": cannot find its images beside it ("
            + stem
            + "-images/ or images/); pass --images DIR");
  }

  /** Counts images and keeps the first few examples as one-line summaries. */
  private static final class Tally {
    private final int samples;
    private final List<String> examples = new ArrayList<>();
    private final List<String> badReasons = new ArrayList<>();
    private long count;
    private long images;
    private long badImages;

    Tally(int samples) {
      this.samples = samples;
    }

    /** An evaluation item: a summary line and its images. */
    void add(String id, String text, List<ImageSource> imageSources) {
      count++;
      String size = decode(id, imageSources);
      if (examples.size() < samples) {
        String line = id + " " + text + size;
        examples.add(line.length() > 160 ? line.substring(0, 157) + "..." : line);
      }
    }

    Report report(String format, BadRecords bad) {
      List<String> reasons = new ArrayList<>(bad.reasons());
      reasons.addAll(badReasons);
      return new Report(
          format,
          bad.read(),
          images,
          bad.bad() + badImages,
          examples,
          reasons.subList(0, Math.min(KEPT_REASONS, reasons.size())));
    }

    /** Decodes the images; returns the last one's size for the summary line. */
    private String decode(String id, List<ImageSource> imageSources) {
      String size = "";
      for (ImageSource source : imageSources) {
        images++;
        try {
          BufferedImage image = source.decode();
          size = " (" + image.getWidth() + "x" + image.getHeight() + ")";
        } catch (IOException | RuntimeException e) {
          badImages++;
          if (badReasons.size() < KEPT_REASONS) {
            badReasons.add(id + ": " + e.getMessage());
          }
        }
      }
      return size;
    }

    void add(Example example) {
      count++;
      List<ImageSource> imageSources = new ArrayList<>();
      String text;
      if (example instanceof Example.Captioned c) {
        imageSources.add(c.image());
        text = "captioned: " + c.caption();
      } else if (example instanceof Example.Interleaved d) {
        StringBuilder b = new StringBuilder("interleaved:");
        for (Example.Chunk chunk : d.chunks()) {
          if (chunk instanceof Example.Chunk.Image image) {
            imageSources.add(image.image());
            b.append(" [image]");
          } else {
            b.append(' ').append(((Example.Chunk.TextChunk) chunk).text());
          }
        }
        text = b.toString();
      } else {
        text = "text: " + ((Example.Text) example).text();
      }
      String size = decode(example.id(), imageSources);
      if (examples.size() < samples) {
        String line = example.id() + " " + text + size;
        examples.add(line.length() > 160 ? line.substring(0, 157) + "..." : line);
      }
    }
  }
}
