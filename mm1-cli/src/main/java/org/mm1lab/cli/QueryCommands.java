package org.mm1lab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.eval.EvalModel;
import org.mm1lab.core.eval.ModelQueries;
import org.mm1lab.core.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 caption} and {@code mm1 ask}: a trained model on the user's own images. */
final class QueryCommands {

  private QueryCommands() {}

  /** Opens the model, runs {@code query} with its {@link ModelQueries}, closes the model. */
  static void withModel(
      CommandSpec spec,
      Path path,
      List<String> overrides,
      java.util.function.Consumer<ModelQueries> query) {
    Assembly assembly =
        Plugins.assembly(spec, TrainedModel.directoryOf(path).configFile(), overrides);
    try (EvalModel model = EvalModel.open(assembly, path, overrides)) {
      query.accept(model.queries());
    }
  }

  /** Reads an image file, or fails with one line naming it. */
  static BufferedImage read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserException(file + ": no such image file");
    }
    try {
      // The training pipeline's decoding: a CMYK JPEG or a grey PNG looks as it did in training.
      return ImageSource.ofFile(file).decode();
    } catch (IOException e) {
      throw new UserException(file + ": cannot read the image (" + e.getMessage() + ")", e);
    }
  }

  /** {@code mm1 caption CHECKPOINT IMAGE...}. */
  @Command(
      name = "caption",
      mixinStandardHelpOptions = true,
      description = "Caption images with a trained model (zero-shot, greedy decoding).")
  static final class Caption implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "The trained model.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images = new ArrayList<>();

    @Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description =
            "Override a setting of the run, e.g. --set mm1.eval.max-new-tokens=20 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
      List<BufferedImage> pixels = images.stream().map(QueryCommands::read).toList();
      withModel(
          spec,
          model,
          overrides,
          queries -> {
            for (int i = 0; i < images.size(); i++) {
              spec.commandLine()
                  .getOut()
                  .println(images.get(i) + ": " + queries.caption(pixels.get(i)));
            }
          });
    }
  }

  /** {@code mm1 ask CHECKPOINT IMAGE "question"}. */
  @Command(
      name = "ask",
      mixinStandardHelpOptions = true,
      description = "Ask a trained model a question about an image (zero-shot, greedy decoding).")
  static final class Ask implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "The trained model.")
    Path model;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "An image file.")
    Path image;

    @Parameters(index = "2", paramLabel = "QUESTION", description = "The question, quoted.")
    String question;

    @Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description =
            "Override a setting of the run, e.g. --set mm1.eval.max-new-tokens=20 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
      if (question.isBlank()) {
        throw new UserException(
            "the question is empty; ask something about the image, e.g. \"what colour is the"
                + " circle?\"");
      }
      BufferedImage pixels = read(image);
      withModel(
          spec,
          model,
          overrides,
          queries -> spec.commandLine().getOut().println(queries.ask(pixels, question)));
    }
  }
}
