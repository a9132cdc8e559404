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
import org.mm1lab.core.data.ImageConversions;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.formats.CocoCaptionSource;
import org.mm1lab.core.data.formats.Compression;
import org.mm1lab.core.data.formats.EvalStream;
import org.mm1lab.core.data.formats.FileDataSource;
import org.mm1lab.core.data.formats.InterleavedJsonlSource;
import org.mm1lab.core.data.formats.KarpathySplitSource;
import org.mm1lab.core.data.formats.Mmc4Source;
import org.mm1lab.core.data.formats.ObelicsSource;
import org.mm1lab.core.data.formats.ShardPaths;
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
   * @param conversions what decoding changed in the images, one line per kind ({@code 3 images:
   *     CMYK/YCCK JPEG converted to RGB}); empty when nothing
   */
  public record Report(
      String format,
      long records,
      long images,
      long bad,
      List<String> examples,
      List<String> badReasons,
      List<String> conversions) {}

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
          case "obelics" -> new ObelicsSource("inspect", List.of(path), 1.0);
          case "mmc4" ->
              new Mmc4Source("inspect", List.of(path), mmc4ImagesFor(path, cocoImages), 1.0);
          case "karpathy" ->
              new KarpathySplitSource(
                  "inspect",
                  path,
                  karpathyImagesFor(path, cocoImages),
                  String.join(",", KarpathySplitSource.SPLITS),
                  1.0);
          default -> new CocoCaptionSource("inspect", path, cocoImagesFor(path, cocoImages), 1.0);
        };
    return tally(path.toString(), Files.isDirectory(path), format, source, samples);
  }

  /**
   * Inspects the shards or JSON Lines files a brace pattern names ({@code
   * shards/shard-{000000..000099}.tar}), read as one source; anything else as {@link #inspect(Path,
   * Path, int)} does.
   *
   * @param path a path or a brace pattern
   * @param cocoImages the image folder for a COCO, Karpathy, VQA or MMC4 file, or null
   * @param samples how many examples to show
   */
  public static Report inspect(String path, Path cocoImages, int samples) {
    if (!path.contains("{")) {
      return inspect(Path.of(path), cocoImages, samples);
    }
    List<Path> files = ShardPaths.resolve("inspect", List.of(path));
    List<String> formats = new ArrayList<>();
    for (Path file : files) {
      if (Files.isDirectory(file)) {
        throw new UserException(path + " names the folder " + file + "; name shards or files");
      }
      formats.add(detect(file));
    }
    String format = formats.get(0);
    if (formats.stream().anyMatch(f -> !f.equals(format))) {
      throw new UserException(
          path + " names files of different formats: " + new java.util.TreeSet<>(formats));
    }
    FileDataSource source =
        switch (format) {
          case "webdataset" -> new WebDatasetSource("inspect", files, 1.0);
          case "jsonl-interleaved" -> new InterleavedJsonlSource("inspect", files, 1.0);
          case "jsonl-text" -> new TextJsonlSource("inspect", files, 1.0);
          case "obelics" -> new ObelicsSource("inspect", files, 1.0);
          case "mmc4" ->
              new Mmc4Source("inspect", files, mmc4ImagesFor(files.get(0), cocoImages), 1.0);
          default ->
              throw new UserException(
                  path + " names " + format + " files; inspect them one at a time");
        };
    return tally(path, files.size() > 1, format, source, samples);
  }

  /**
   * Reads a source once, decoding every image.
   *
   * @param where what the user named, for the message when it holds nothing
   * @param shards whether it names several shards (a folder or a pattern) rather than one file
   */
  private static Report tally(
      String where, boolean shards, String format, FileDataSource source, int samples) {
    Tally tally = new Tally(samples);
    try (DataSource.ExampleStream stream = source.onePass()) {
      while (stream.hasNext()) {
        tally.add(stream.next());
      }
      BadRecords bad = stream.badRecords();
      if (bad.read() == 0) {
        throw new UserException(
            where
                + " is empty: "
                + (format.equals("webdataset")
                    ? (shards ? "its .tar shards hold" : "the shard holds") + " no records"
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
          reasons.subList(0, Math.min(KEPT_REASONS, reasons.size())),
          tally.conversions.summary());
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
        tally.badReasons,
        tally.conversions.summary());
  }

  private static String detect(Path path) {
    String name = path.getFileName().toString();
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        List<String> names = files.map(p -> p.getFileName().toString()).toList();
        if (names.stream().anyMatch(n -> endsWithAny(n, Compression.TAR_SUFFIXES))) {
          return "webdataset";
        }
        if (names.stream().anyMatch(n -> endsWithAny(n, Compression.JSONL_SUFFIXES))) {
          throw new UserException(path + " holds JSON Lines files: inspect one of them");
        }
      } catch (IOException e) {
        throw new UserException("cannot list " + path + ": " + e.getMessage(), e);
      }
      throw new UserException(
          path
              + " holds no tar shards (.tar, .tar.gz, .tgz); inspect a shard, a .jsonl or a COCO"
              + " .json");
    }
    if (endsWithAny(name, Compression.TAR_SUFFIXES)) {
      return "webdataset";
    }
    if (endsWithAny(name, Compression.JSONL_SUFFIXES)) {
      if (firstLineHas(path, "\"chunks\"")) {
        return "jsonl-interleaved";
      }
      if (firstLineHas(path, "\"text_list\"")) {
        return "mmc4";
      }
      if (firstLineHas(path, "\"texts\"") && firstLineHas(path, "\"images\"")) {
        return "obelics";
      }
      return firstLineHas(path, "\"prompt\"") ? "jsonl-text-tasks" : "jsonl-text";
    }
    if (name.endsWith(".json")) {
      // A top-level array (LLaVA instruction data) is refused here in one line.
      CocoCaptionSource.checkTopLevel(path);
      if (name.contains("questions")) {
        return "vqa";
      }
      String head = head(path);
      return head.contains("\"sentences\"") && head.contains("\"split\"") ? "karpathy" : "coco";
    }
    if (name.endsWith(".parquet")) {
      throw new UserException(
          path
              + ": Parquet is not read here; export it to JSON Lines (datasets' to_json does) and"
              + " name the format (obelics, mmc4, jsonl-text)");
    }
    throw new UserException(
        path
            + ": unknown format; inspect a folder of tar shards, a .tar, .tar.gz, a .jsonl,"
            + " .jsonl.gz or a COCO .json");
  }

  private static boolean endsWithAny(String name, List<String> suffixes) {
    return suffixes.stream().anyMatch(name::endsWith);
  }

  /**
   * An evaluation set: VQA questions (their annotations and images found beside them, as {@code mm1
   * data generate} and the VQA v2 release lay them out) or text tasks.
   */
  private static Report inspectEvalSet(Path path, String format, Path images, int samples) {
    Tally tally = new Tally(samples);
    if (format.equals("vqa")) {
      Path annotations = vqaAnnotationsFor(path);
      Path imageDir = images != null ? images : vqaImagesFor(path);
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

  /**
   * The annotations of a VQA questions file. {@code mm1 data generate} writes {@code
   * vqa-questions.json} and {@code vqa-annotations.json}; the VQA v2 release pairs {@code
   * v2_OpenEnded_mscoco_val2014_questions.json} with {@code v2_mscoco_val2014_annotations.json},
   * beside it or in a sibling {@code Annotations/} folder (the layout of the VQA API).
   */
  static Path vqaAnnotationsFor(Path questions) {
    String name = questions.getFileName().toString();
    Path parent = questions.toAbsolutePath().getParent();
    List<String> names = new ArrayList<>();
    names.add(name.replace("questions", "annotations"));
    names.add(
        name.replaceFirst("(OpenEnded|MultipleChoice)_", "").replace("questions", "annotations"));
    List<Path> candidates = new ArrayList<>();
    for (Path dir : companionFolders(parent, "Annotations", "annotations")) {
      for (String candidate : names) {
        candidates.add(dir.resolve(candidate));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new UserException(
        questions
            + ": cannot find its annotations; looked for "
            + String.join(" and ", names)
            + " beside it and in ../Annotations/");
  }

  /**
   * The image folder of a VQA questions file: the COCO release's folder named after the split
   * ({@code val2014/} for {@code ..._val2014_questions.json}) beside the file, one level up, or in
   * the VQA API's {@code Images/mscoco/}; else {@code NAME-images/} or {@code images/} beside it,
   * as {@code mm1 data generate} writes them.
   */
  static Path vqaImagesFor(Path questions) {
    String name = questions.getFileName().toString();
    Path parent = questions.toAbsolutePath().getParent();
    List<Path> candidates = new ArrayList<>();
    java.util.regex.Matcher split =
        java.util.regex.Pattern.compile("(train|val|test|test-dev)(20[0-9][0-9])").matcher(name);
    if (split.find()) {
      String folder = split.group(1).replace("test-dev", "test") + split.group(2);
      candidates.add(parent.resolve(folder));
      if (parent.getParent() != null) {
        candidates.add(parent.getParent().resolve(folder));
        candidates.add(parent.getParent().resolve("Images").resolve("mscoco").resolve(folder));
      }
    }
    String prefix = name.replaceFirst("-?questions.*$", "").replaceFirst("_$", "");
    candidates.add(parent.resolve(prefix + "-images"));
    candidates.add(parent.resolve("images"));
    for (Path candidate : candidates) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new UserException(
        questions
            + ": cannot find its images; looked in "
            + candidates.stream()
                .map(p -> parent.relativize(p) + "/")
                .collect(java.util.stream.Collectors.joining(", "))
            + "; pass --images DIR");
  }

  private static List<Path> companionFolders(Path parent, String... siblings) {
    List<Path> folders = new ArrayList<>(List.of(parent));
    if (parent.getParent() != null) {
      for (String sibling : siblings) {
        folders.add(parent.getParent().resolve(sibling));
      }
    }
    return folders;
  }

  /** The images of an MMC4 file: --images, else {@code images/} beside it. */
  private static Path mmc4ImagesFor(Path file, Path given) {
    if (given != null) {
      return given;
    }
    Path beside = file.toAbsolutePath().getParent().resolve("images");
    if (Files.isDirectory(beside)) {
      return beside;
    }
    throw new UserException(
        file + ": MMC4 documents name their images; pass --images DIR (the downloaded images)");
  }

  /**
   * The image root of a Karpathy split file: --images, else the folder beside it (or above it) that
   * holds the COCO release's {@code train2014/} or {@code val2014/}, else {@code images/}.
   */
  private static Path karpathyImagesFor(Path file, Path given) {
    if (given != null) {
      return given;
    }
    Path parent = file.toAbsolutePath().getParent();
    List<Path> roots = new ArrayList<>(List.of(parent));
    if (parent.getParent() != null) {
      roots.add(parent.getParent());
    }
    for (Path root : roots) {
      if (Files.isDirectory(root.resolve("val2014"))
          || Files.isDirectory(root.resolve("train2014"))) {
        return root;
      }
    }
    if (Files.isDirectory(parent.resolve("images"))) {
      return parent.resolve("images");
    }
    throw new UserException(
        file
            + ": cannot find the COCO images (a folder holding train2014/ or val2014/) beside it;"
            + " pass --images DIR");
  }

  /** The first 64 KiB of a file, as text, to tell layouts apart. */
  private static String head(Path file) {
    try (java.io.InputStream in = Compression.open(file)) {
      return new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
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
    try (BufferedReader reader =
        new BufferedReader(
            new java.io.InputStreamReader(Compression.open(file), StandardCharsets.UTF_8))) {
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
    private final ImageConversions conversions = new ImageConversions();
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
          reasons.subList(0, Math.min(KEPT_REASONS, reasons.size())),
          conversions.summary());
    }

    /** Decodes the images; returns the last one's size for the summary line. */
    private String decode(String id, List<ImageSource> imageSources) {
      String size = "";
      for (ImageSource source : imageSources) {
        images++;
        try {
          BufferedImage image = source.decode(0, conversions);
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
