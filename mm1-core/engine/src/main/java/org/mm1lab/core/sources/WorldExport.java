package org.mm1lab.core.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.DataSource.ExampleStream;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.data.Example;
import org.mm1lab.core.data.formats.CocoCaptionWriter;
import org.mm1lab.core.data.formats.InterleavedJsonlWriter;
import org.mm1lab.core.data.formats.TextJsonlWriter;
import org.mm1lab.core.data.formats.TextTaskJsonlWriter;
import org.mm1lab.core.data.formats.VqaWriter;
import org.mm1lab.core.data.formats.WebDatasetWriter;
import org.mm1lab.core.world.SyntheticWorld;

/**
 * Writes the synthetic world to a folder in the real formats, so that a run can train from files
 * exactly as from the in-memory world, and users see what each format looks like:
 *
 * <pre>
 * captioned/captioned-000000.tar ...   WebDataset shards (alt-text captions)
 * vecap/vecap-000000.tar ...           WebDataset shards (dense synthetic captions)
 * interleaved.jsonl, interleaved-images/
 * text.jsonl
 * eval/caption.json, eval/caption-images/             COCO captions, 5 references per image
 * eval/vqa-questions.json, eval/vqa-annotations.json, eval/vqa-images/   VQA v2 layout
 * eval/text-core.jsonl
 * shots/...                                           the same, for in-context examples
 * sources.conf                                        mm1.data.sources over these files
 * eval-sets.conf                                      mm1.eval.sets over eval/ and shots/
 * </pre>
 *
 * Images are written at the world's render size ({@code mm1.data.world.render-size}); a world that
 * draws at its consumer's size writes them at {@value
 * org.mm1lab.core.world.WorldSettings#PREVIEW_SIZE} px, so a caller that knows the encoder fixes
 * the size first ({@code mm1 data generate} does). The folder must be new or empty: nothing is ever
 * overwritten.
 */
public final class WorldExport {

  /**
   * How much to write.
   *
   * @param trainingPerSource examples per training source
   * @param evalPerTask evaluation items per task
   * @param shotsPerTask in-context examples per task
   * @param recordsPerShard records per WebDataset shard
   */
  public record Counts(
      int trainingPerSource, int evalPerTask, int shotsPerTask, int recordsPerShard) {
    public Counts {
      if (trainingPerSource < 1 || evalPerTask < 0 || shotsPerTask < 0 || recordsPerShard < 1) {
        throw new UserException("generate counts must be positive (evaluation and shots may be 0)");
      }
    }
  }

  /**
   * What was written.
   *
   * @param lines one line per file group, for the user
   */
  public record Summary(List<String> lines) {}

  private WorldExport() {}

  /** Writes the world to {@code out}. */
  public static Summary export(SyntheticWorld world, Path out, Counts counts) {
    prepare(out);
    List<String> lines = new ArrayList<>();
    try (WebDatasetWriter captioned =
            new WebDatasetWriter(out.resolve("captioned"), "captioned", counts.recordsPerShard());
        WebDatasetWriter vecap =
            new WebDatasetWriter(out.resolve("vecap"), "vecap", counts.recordsPerShard());
        InterleavedJsonlWriter interleaved =
            new InterleavedJsonlWriter(
                out.resolve("interleaved.jsonl"), InterleavedJsonlWriter.ImageMode.FILES);
        TextJsonlWriter text = new TextJsonlWriter(out.resolve("text.jsonl"))) {
      try (ExampleStream s = world.captioned().open(0)) {
        for (int i = 0; i < counts.trainingPerSource(); i++) {
          captioned.write((Example.Captioned) s.next());
        }
      }
      try (ExampleStream s = world.vecap().open(0)) {
        for (int i = 0; i < counts.trainingPerSource(); i++) {
          vecap.write((Example.Captioned) s.next());
        }
      }
      try (ExampleStream s = world.interleaved().open(0)) {
        for (int i = 0; i < counts.trainingPerSource(); i++) {
          interleaved.write((Example.Interleaved) s.next());
        }
      }
      try (ExampleStream s = world.text().open(0)) {
        for (int i = 0; i < counts.trainingPerSource(); i++) {
          text.write((Example.Text) s.next());
        }
      }
      lines.add(
          String.format(
              "captioned: %d records in %d shards", captioned.records(), captioned.shards()));
      lines.add(String.format("vecap: %d records in %d shards", vecap.records(), vecap.shards()));
      lines.add(String.format("interleaved.jsonl: %d documents", interleaved.records()));
      lines.add(String.format("text.jsonl: %d documents", text.records()));
    }
    lines.addAll(writeEval(world, out.resolve("eval"), counts.evalPerTask(), false));
    lines.addAll(writeEval(world, out.resolve("shots"), counts.shotsPerTask(), true));
    writeSourcesConf(out);
    lines.add("sources.conf: include it in a run file to train from these files");
    if (counts.evalPerTask() > 0) {
      writeEvalSetsConf(out, counts.shotsPerTask() > 0);
      lines.add("eval-sets.conf: include it in a run file to evaluate on these files");
    }
    return new Summary(lines);
  }

  private static List<String> writeEval(SyntheticWorld world, Path dir, int count, boolean shots) {
    List<String> lines = new ArrayList<>();
    if (count == 0) {
      return lines;
    }
    String prefix = dir.getFileName() + "/";
    try (CocoCaptionWriter captions =
            new CocoCaptionWriter(dir.resolve("caption.json"), dir.resolve("caption-images"));
        VqaWriter vqa =
            new VqaWriter(
                dir.resolve("vqa-questions.json"),
                dir.resolve("vqa-annotations.json"),
                dir.resolve("vqa-images"),
                VqaWriter.DEFAULT_IMAGE_PATTERN);
        TextTaskJsonlWriter text = new TextTaskJsonlWriter(dir.resolve("text-core.jsonl"))) {
      for (EvalItem item : items(world, "caption", count, shots)) {
        captions.write((EvalItem.Caption) item);
      }
      for (EvalItem item : items(world, "vqa", count, shots)) {
        vqa.write((EvalItem.Vqa) item);
      }
      for (EvalItem item : items(world, "text-core", count, shots)) {
        text.write((EvalItem.TextTask) item);
      }
      lines.add(
          String.format(
              "%s: %d caption, %d vqa and %d text-core items",
              prefix, count, count, text.records()));
    }
    return lines;
  }

  private static List<EvalItem> items(SyntheticWorld world, String task, int count, boolean shots) {
    return shots ? world.shotsSet(task, count) : world.evalSet(task, count);
  }

  private static void prepare(Path out) {
    try {
      if (Files.exists(out)) {
        if (!Files.isDirectory(out)) {
          throw new UserException(
              out + " exists and is not a folder; choose a new or empty folder");
        }
        try (var entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            throw new UserException(
                out
                    + " is not empty; mm1 data generate never overwrites: choose a new or empty folder");
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UserException("cannot create " + out + ": " + e.getMessage(), e);
    }
  }

  /** {@code mm1.eval.sets} over the eval/ files and, when written, the shots/ files. */
  private static void writeEvalSetsConf(Path out, boolean withShots) {
    Path base = out.toAbsolutePath().normalize();
    Path eval = base.resolve("eval");
    Path shots = base.resolve("shots");
    String text =
        String.join(
            "\n",
            "# Written by mm1 data generate. Evaluate on these files instead of the in-memory world",
            "# by adding this line to a run file:   include file(\""
                + base.resolve("eval-sets.conf")
                + "\")",
            withShots ? "" : "# No shots/ files were written: keep mm1.eval.shots = [0].",
            "mm1.eval.sets {",
            "  caption { format = coco, annotations = "
                + q(eval.resolve("caption.json"))
                + ", images = "
                + q(eval.resolve("caption-images"))
                + (withShots
                    ? ", shots-annotations = "
                        + q(shots.resolve("caption.json"))
                        + ", shots-images = "
                        + q(shots.resolve("caption-images"))
                    : "")
                + " }",
            "  vqa { format = vqa, questions = "
                + q(eval.resolve("vqa-questions.json"))
                + ", annotations = "
                + q(eval.resolve("vqa-annotations.json"))
                + ", images = "
                + q(eval.resolve("vqa-images"))
                + ", image-pattern = "
                + q(VqaWriter.DEFAULT_IMAGE_PATTERN)
                + (withShots
                    ? ", shots-questions = "
                        + q(shots.resolve("vqa-questions.json"))
                        + ", shots-annotations = "
                        + q(shots.resolve("vqa-annotations.json"))
                        + ", shots-images = "
                        + q(shots.resolve("vqa-images"))
                    : "")
                + " }",
            "  text-core { format = jsonl-text-tasks, path = "
                + q(eval.resolve("text-core.jsonl"))
                + (withShots ? ", shots-path = " + q(shots.resolve("text-core.jsonl")) : "")
                + " }",
            "}",
            "");
    try {
      Files.writeString(out.resolve("eval-sets.conf"), text, StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A HOCON quoted string. */
  private static String q(Object value) {
    return com.typesafe.config.ConfigUtil.quoteString(value.toString());
  }

  private static void writeSourcesConf(Path out) {
    Path base = out.toAbsolutePath().normalize();
    String text =
        String.join(
            "\n",
            "# Written by mm1 data generate. Train from these files instead of the in-memory world",
            "# by adding this line to a run file:   include file(\""
                + base.resolve("sources.conf")
                + "\")",
            "mm1.data.sources {",
            "  captioned   { format = webdataset, path = \"" + base.resolve("captioned") + "\" }",
            "  vecap       { format = webdataset, path = \"" + base.resolve("vecap") + "\" }",
            "  interleaved { format = jsonl-interleaved, path = \""
                + base.resolve("interleaved.jsonl")
                + "\" }",
            "  text        { format = jsonl-text, path = \"" + base.resolve("text.jsonl") + "\" }",
            "}",
            "");
    try {
      Files.writeString(out.resolve("sources.conf"), text, StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
