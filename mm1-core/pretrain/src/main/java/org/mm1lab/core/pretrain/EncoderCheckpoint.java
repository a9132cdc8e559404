package org.mm1lab.core.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mm1lab.api.Family;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.Origins;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.layout.RunLayout.Pretraining;
import org.mm1lab.toolkit.options.ConfigOptions;
import org.mm1lab.toolkit.weights.SafetensorsWriter;

/**
 * Writes a pretrained encoder: {@code encoder.safetensors}, every parameter of the encoder under
 * its block name (the names {@code Block.getParameters()} gives, such as {@code
 * 01patchEmbedding_weight}), and {@code encoder.json}, which records what the weights fit: the
 * encoder's {@code type} and every option of its run-file section ({@code image-size}, {@code
 * patch-size}, {@code width}, {@code layers}, {@code heads}, ...), its output grid, and the
 * pretraining's {@code steps} and {@code final-loss}. Both files are written to a temporary sibling
 * and renamed into place, so a kill never leaves a half-written checkpoint under the final name.
 *
 * <p>The host knows no encoder's internals: the options come from the run's configuration, and only
 * the plugin that reads the {@code checkpoint} option interprets the tensor names.
 */
public final class EncoderCheckpoint {

  /** The value of {@code format} in {@code encoder.json}. */
  public static final String FORMAT = "mm1-encoder-1";

  /** The encoder option a multimodal run loads the weights with. */
  public static final String CHECKPOINT_OPTION = "checkpoint";

  private final RunConfig config;

  /**
   * @param config the run whose encoder section describes the encoder
   */
  public EncoderCheckpoint(RunConfig config) {
    this.config = config;
  }

  /**
   * Writes both files into {@code dir}.
   *
   * @param dir the output folder (created if needed)
   * @param encoder the trained encoder
   * @param summary what pretraining measured
   * @return the weights file
   * @throws UserException when the files cannot be written
   */
  public Path write(Path dir, ImageEncoder encoder, EncoderPretrainer.Summary summary) {
    Path weights = dir.resolve(Pretraining.WEIGHTS);
    try {
      Files.createDirectories(dir);
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : encoder.getParameters()) {
        tensors.put(p.getKey(), p.getValue().getArray());
      }
      SafetensorsWriter.write(weights, tensors, Map.of("format", FORMAT, "type", type()));
      writeAtomically(dir.resolve(Pretraining.DESCRIPTION), description(encoder, summary));
    } catch (IOException e) {
      throw new UserException("cannot write the encoder to " + dir + ": " + e.getMessage(), e);
    }
    return weights;
  }

  /** The encoder's factory name, the section's {@code type}. */
  public String type() {
    return config.type(Family.ENCODER);
  }

  /**
   * The line that loads the weights in a run file: the type, the options the run set (defaults left
   * out, as they are the same), and the checkpoint, for example {@code encoder { type = clip-vit,
   * image-size = 64, width = 96, checkpoint = "runs/x-encoder/encoder.safetensors" }}.
   */
  public String runFileLine(Path weights) {
    StringBuilder line = new StringBuilder("encoder { type = ").append(type());
    ConfigOptions options = config.componentOptions(Family.ENCODER);
    for (Map.Entry<String, ConfigValue> e : sorted(options).entrySet()) {
      if (e.getKey().equals(CHECKPOINT_OPTION) || Origins.isDefault(e.getValue().origin())) {
        continue;
      }
      line.append(", ")
          .append(e.getKey())
          .append(" = ")
          .append(e.getValue().render(ConfigRenderOptions.concise()));
    }
    String path = weights.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    return line.append(", ")
        .append(CHECKPOINT_OPTION)
        .append(" = \"")
        .append(path)
        .append("\" }")
        .toString();
  }

  private String description(ImageEncoder encoder, EncoderPretrainer.Summary summary) {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("type", type());
    for (Map.Entry<String, ConfigValue> e :
        sorted(config.componentOptions(Family.ENCODER)).entrySet()) {
      if (!e.getKey().equals(CHECKPOINT_OPTION)) {
        json.add(e.getKey(), toJson(e.getValue()));
      }
    }
    JsonObject grid = new JsonObject();
    grid.addProperty("height", encoder.outputGrid().height());
    grid.addProperty("width", encoder.outputGrid().width());
    grid.addProperty("channels", encoder.outputGrid().channels());
    json.add("output-grid", grid);
    long scalars = 0;
    List<String> names = new ArrayList<>();
    for (Pair<String, Parameter> p : encoder.getParameters()) {
      scalars += p.getValue().getArray().size();
      names.add(p.getKey());
    }
    json.addProperty("parameters", scalars);
    json.addProperty("tensors", names.size());
    json.addProperty("steps", summary.steps());
    json.addProperty("first-loss", summary.firstLoss());
    json.addProperty("final-loss", summary.finalLoss());
    json.addProperty("seconds", Math.round(summary.seconds() * 10) / 10.0);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
  }

  /** The section's leaf options by path, sorted, {@code type} excluded. */
  private static Map<String, ConfigValue> sorted(ConfigOptions options) {
    Map<String, ConfigValue> values = new TreeMap<>();
    for (String key : options.keys()) {
      values.put(key, options.config().getValue(key));
    }
    return values;
  }

  private static JsonElement toJson(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      JsonObject holder = new JsonObject();
      holder.addProperty("v", (String) value.unwrapped());
      return holder.get("v");
    }
    return JsonParser.parseString(value.render(ConfigRenderOptions.concise()));
  }

  /** Writes text to a temporary sibling, then renames it over {@code file}. */
  static void writeAtomically(Path file, String text) throws IOException {
    // A plain sibling (not createTempFile, whose files are private to the owner) so that the
    // result has the usual permissions.
    Path temporary =
        file.resolveSibling("." + file.getFileName() + ".partial-" + ProcessHandle.current().pid());
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
