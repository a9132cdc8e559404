package org.mm1lab.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.UnknownWords;
import org.mm1lab.core.eval.EvalModel;
import org.mm1lab.core.eval.ModelQueries;
import org.mm1lab.core.eval.Sampling;
import org.mm1lab.core.run.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mm1 caption} and {@code mm1 ask}: a trained model on the user's own images. */
final class QueryCommands {

  /** One object a line, keys in insertion order, non-ASCII text as it is. */
  private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

  private QueryCommands() {}

  /** Opens the model, runs {@code query} with it, closes the model. */
  static void withModel(
      CommandSpec spec, Path path, List<String> overrides, Consumer<EvalModel> query) {
    Assembly assembly =
        Plugins.assembly(spec, TrainedModel.directoryOf(path).configFile(), overrides);
    try (EvalModel model = EvalModel.open(assembly, path, overrides)) {
      query.accept(model);
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

  /**
   * An answer as one JSON object: what was asked, what came back, and what produced it.
   *
   * @param question null for a caption
   */
  static JsonObject json(
      Path image,
      String task,
      String question,
      ModelQueries.Answer answer,
      int context,
      TrainedModel model) {
    JsonObject line = new JsonObject();
    line.addProperty("image", image.toString());
    line.addProperty("task", task);
    if (question != null) {
      line.addProperty("question", question);
    }
    line.addProperty("prompt", answer.prompt());
    line.addProperty("answer", answer.answer());
    line.addProperty("prompt-tokens", answer.promptTokens());
    line.addProperty("answer-tokens", answer.answerTokens());
    line.addProperty("max-new-tokens", answer.maxNewTokens());
    line.addProperty("context", context);
    line.addProperty("checkpoint", model.checkpoint().toAbsolutePath().toString());
    line.addProperty("step", model.step());
    JsonObject sampling = new JsonObject();
    Sampling settings = answer.sampling();
    sampling.addProperty("mode", settings.greedy() ? "greedy" : "sample");
    if (!settings.greedy()) {
      sampling.addProperty("temperature", settings.temperature());
      sampling.addProperty("top-p", settings.topP());
      sampling.addProperty("seed", settings.seed());
    }
    line.add("sampling", sampling);
    return line;
  }

  private static JsonArray array(List<String> words) {
    JsonArray array = new JsonArray();
    words.forEach(array::add);
    return array;
  }

  /** {@code mm1 caption CHECKPOINT IMAGE...}. */
  @Command(
      name = "caption",
      mixinStandardHelpOptions = true,
      description = {
        "Caption images with a trained model.",
        "Prompts zero-shot as the evaluation does (<image>Output:) and decodes greedily unless"
            + " --temperature is given. Prints one line per image, IMAGE: caption."
      })
  static final class Caption implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "The trained model.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images = new ArrayList<>();

    @Mixin GenerationOptions generation;

    @Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description =
            "Override a setting of the run, e.g. --set mm1.eval.prompts.caption=\"<image>Caption:"
                + " {answer}\" (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
      generation.check();
      List<BufferedImage> pixels = images.stream().map(QueryCommands::read).toList();
      PrintWriter out = spec.commandLine().getOut();
      withModel(
          spec,
          model,
          overrides,
          loaded -> {
            ModelQueries queries = loaded.queries();
            int tokens = generation.maxNewTokens(queries.captionTokens());
            Sampling sampling = generation.sampling();
            for (int i = 0; i < images.size(); i++) {
              ModelQueries.Answer caption = queries.caption(pixels.get(i), tokens, sampling);
              out.println(
                  generation.json
                      ? JSON.toJson(
                          json(
                              images.get(i),
                              "caption",
                              null,
                              caption,
                              queries.contextLength(),
                              loaded.trained()))
                      : images.get(i) + ": " + caption.answer());
            }
          });
    }
  }

  /** {@code mm1 ask CHECKPOINT IMAGE "question"}. */
  @Command(
      name = "ask",
      mixinStandardHelpOptions = true,
      description = {
        "Ask a trained model a question about an image.",
        "Prompts zero-shot as the evaluation does (<image>Question: QUESTION Short answer:) and"
            + " decodes greedily unless --temperature is given. Prints the answer. Words of the"
            + " question that are not in the model's vocabulary are counted on standard error."
      })
  static final class Ask implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "The trained model.")
    Path model;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "An image file.")
    Path image;

    @Parameters(index = "2", paramLabel = "QUESTION", description = "The question, quoted.")
    String question;

    @Mixin GenerationOptions generation;

    @Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description =
            "Override a setting of the run, e.g. --set mm1.eval.prompts.vqa=\"<image>Q: {question}"
                + " A: {answer}\" (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
      if (question.isBlank()) {
        throw new UserException(
            "the question is empty; ask something about the image, e.g. \"what colour is the"
                + " circle?\"");
      }
      generation.check();
      BufferedImage pixels = read(image);
      withModel(
          spec,
          model,
          overrides,
          loaded -> {
            ModelQueries queries = loaded.queries();
            UnknownWords unknown = queries.unknownWords(question);
            for (String warning : unknown.warnings()) {
              spec.commandLine().getErr().println("mm1: warning: " + warning);
            }
            ModelQueries.Answer answer =
                queries.ask(
                    pixels,
                    question,
                    generation.maxNewTokens(queries.answerTokens()),
                    generation.sampling());
            String printed = answer.answer();
            if (generation.json) {
              JsonObject line =
                  json(image, "vqa", question, answer, queries.contextLength(), loaded.trained());
              line.add("unknown-words", array(unknown.unknown()));
              line.add("spelled-words", array(unknown.spelled()));
              printed = JSON.toJson(line);
            }
            spec.commandLine().getOut().println(printed);
          });
    }
  }
}
