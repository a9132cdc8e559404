package org.mm1lab.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.mm1lab.api.Family;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnector;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.io.AtomicFiles;
import org.mm1lab.core.run.TrainedModel;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.LayoutUnavailableException;
import org.mm1lab.toolkit.weights.PublishedLayout;
import org.mm1lab.toolkit.weights.SafetensorsWriter;

/**
 * Writes a trained model's components in published layouts, each in a folder of its own under the
 * output folder (see {@link Format} for what each holds). Every safetensors file carries {@code
 * __metadata__ {"format": "pt"}}, as PyTorch-saved Hugging Face files do; tensors are float32 as
 * trained. {@code export.json} records the source checkpoint, its step, the folders written and
 * every stated deviation of a layout's usual reading from this model.
 *
 * <p>Everything is written into a temporary sibling of the output folder, which is renamed into
 * place at the end: a failed export leaves nothing under the output name. An output folder that
 * exists and is not empty is refused before anything is written.
 */
public final class ModelExport {

  /** The safetensors metadata every file carries. */
  static final Map<String, String> METADATA = Map.of("format", "pt");

  private static final Gson JSON =
      new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

  /** What can be exported, each into the folder of its name. */
  public enum Format {
    /**
     * {@code llama/}: the decoder as Hugging Face's {@code LlamaForCausalLM} ({@code
     * model.safetensors}, {@code config.json}) with the tokenizer's vocabulary ({@code vocab.json},
     * token to id, and {@code special_tokens_map.json}).
     */
    LLAMA,
    /**
     * {@code timm/}: the image encoder as a timm ViT ({@code model.safetensors}, {@code
     * config.json}).
     */
    TIMM,
    /**
     * {@code connector/}: the connector's parameters under their MM1 Lab names ({@code
     * model.safetensors}) and {@code connector.json} describing it; any connector.
     */
    CONNECTOR,
    /**
     * {@code llava/}: decoder and projector in one {@code LlavaLlamaForCausalLM} checkpoint, for a
     * connector with LLaVA's projector layout ({@code linear}, {@code mlp}).
     */
    LLAVA;

    /** The folder's and the option's name. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final TrainedModel model;

  /**
   * @param model the trained model to export; it stays open
   */
  public ModelExport(TrainedModel model) {
    this.model = model;
  }

  /**
   * The formats this model can be exported in: all but {@link Format#LLAVA} always, that one when
   * the connector has LLaVA's layout. Which of them hold exactly is decided when writing.
   */
  public Set<Format> available() {
    Set<Format> formats =
        new java.util.LinkedHashSet<>(List.of(Format.LLAMA, Format.TIMM, Format.CONNECTOR));
    if (model.instance().model().components().connector() instanceof PublishedLayout) {
      formats.add(Format.LLAVA);
    }
    return formats;
  }

  /**
   * Writes {@code formats} into {@code out}.
   *
   * @return one line per folder written, and one per stated deviation
   * @throws UserException when {@code out} exists and is not empty, or a component cannot be
   *     represented in a format asked for
   */
  public List<String> write(Path out, Set<Format> formats) {
    refuseNonEmpty(out);
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    List<String> lines = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint", model.checkpoint().toAbsolutePath().normalize().toString());
    summary.put("step", model.step());
    summary.put("run", model.plan().run().name());
    List<String> deviations = new ArrayList<>();
    Path staging = null;
    try (NDManager manager = model.instance().manager().newSubManager()) {
      Files.createDirectories(parent);
      staging = Files.createTempDirectory(parent, target.getFileName() + ".partial-");
      Components c = model.instance().model().components();
      LayoutExport decoder = null;
      List<String> written = new ArrayList<>();
      for (Format f : formats) {
        Path dir = Files.createDirectories(staging.resolve(f.label()));
        switch (f) {
          case LLAMA -> {
            decoder = decoder == null ? layout("decoder", c.decoder(), manager) : decoder;
            deviations.addAll(prefixed("llama", writeLlama(dir, decoder)));
          }
          case TIMM -> {
            LayoutExport encoder = layout("encoder", c.encoder(), manager);
            writeTimm(dir, encoder);
            deviations.addAll(prefixed("timm", encoder.deviations()));
          }
          case CONNECTOR -> writeConnector(dir, c.connector());
          case LLAVA -> {
            if (!(c.connector() instanceof PublishedLayout)) {
              throw new UserException(
                  "--format llava: the connector (type = "
                      + model.plan().config().type(Family.CONNECTOR)
                      + ") has no LLaVA projector layout; only linear and mlp connectors do");
            }
            decoder = decoder == null ? layout("decoder", c.decoder(), manager) : decoder;
            LayoutExport projector = layout("connector", c.connector(), manager);
            deviations.addAll(prefixed("llava", writeLlava(dir, decoder, projector, c)));
          }
        }
        written.add(f.label());
        lines.add(f.label() + ": " + target.resolve(f.label()));
      }
      summary.put("formats", written);
      summary.put("deviations", deviations);
      AtomicFiles.writeString(staging.resolve("export.json"), JSON.toJson(summary) + "\n");
      if (Files.isDirectory(target)) {
        Files.delete(target); // empty, checked above
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the export to " + out + ": " + e.getMessage(), e);
    } finally {
      if (staging != null) {
        deleteTree(staging);
      }
    }
    for (String d : deviations) {
      lines.add("note: " + d);
    }
    return lines;
  }

  private static void refuseNonEmpty(Path out) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserException("--out " + out + " is a file; name a new or empty folder");
    }
    if (Files.isDirectory(out)) {
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new UserException(
              "--out "
                  + out
                  + " is not empty; name a new or empty folder (nothing is overwritten)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A component's published layout, or one line saying why it has none. */
  private static LayoutExport layout(String component, Block block, NDManager manager) {
    if (!(block instanceof PublishedLayout published)) {
      throw new UserException(
          "the "
              + component
              + " ("
              + block.getClass().getSimpleName()
              + ") has no published layout to export to; only the built-in plugins' components"
              + " export");
    }
    try {
      return published.publishedLayout(manager);
    } catch (LayoutUnavailableException e) {
      throw new UserException("cannot export the " + component + ": " + e.getMessage(), e);
    }
  }

  private List<String> writeLlama(Path dir, LayoutExport decoder) throws IOException {
    SafetensorsWriter.write(dir.resolve("model.safetensors"), decoder.tensors(), METADATA);
    writeJson(dir.resolve("config.json"), llamaConfig(decoder));
    Tokenizer tokenizer = model.tokenizer();
    Map<String, Integer> vocabulary = new LinkedHashMap<>();
    List<String> tokens = tokenizer.tokens();
    for (int id = 0; id < tokens.size(); id++) {
      vocabulary.putIfAbsent(tokens.get(id), id);
    }
    writeJson(dir.resolve("vocab.json"), vocabulary);
    Map<String, Object> specials = new LinkedHashMap<>();
    specials.put("bos_token", tokens.get(tokenizer.bosId()));
    specials.put("eos_token", tokens.get(tokenizer.eosId()));
    specials.put("pad_token", tokens.get(tokenizer.padId()));
    specials.put(
        "additional_special_tokens",
        List.of(tokens.get(tokenizer.imageId()), tokens.get(tokenizer.endOfChunkId())));
    writeJson(dir.resolve("special_tokens_map.json"), specials);
    String setting = model.plan().data().tokenizer();
    if (!"world".equals(setting)) {
      // the run's own tokenizer.json; the specials MM1 Lab added to it are in vocab.json
      Files.copy(Path.of(setting), dir.resolve("tokenizer.json"));
      return List.of();
    }
    return List.of(
        "vocab.json holds the world tokenizer's vocabulary; its rule (a word of the world is one"
            + " token, anything else single characters) is MM1 Lab's own, which no Hugging Face"
            + " tokenizer class reproduces");
  }

  /** The decoder's {@code LlamaConfig} fields with the run's: sequence length and special ids. */
  private Map<String, Object> llamaConfig(LayoutExport decoder) {
    Map<String, Object> config = new LinkedHashMap<>(decoder.config());
    Tokenizer tokenizer = model.tokenizer();
    config.put("max_position_embeddings", model.plan().train().sequenceLength());
    config.put("bos_token_id", tokenizer.bosId());
    config.put("eos_token_id", tokenizer.eosId());
    config.put("pad_token_id", tokenizer.padId());
    return config;
  }

  private void writeTimm(Path dir, LayoutExport encoder) throws IOException {
    SafetensorsWriter.write(dir.resolve("model.safetensors"), encoder.tensors(), METADATA);
    Map<String, Object> config = new LinkedHashMap<>(encoder.config());
    Config image = model.plan().config().config().getConfig("mm1.data.image");
    int size = model.instance().model().components().encoder().imageSize();
    Map<String, Object> pretrained = new LinkedHashMap<>();
    pretrained.put("input_size", List.of(3, size, size));
    pretrained.put("mean", image.getDoubleList("mean"));
    pretrained.put("std", image.getDoubleList("std"));
    pretrained.put("num_classes", 0);
    pretrained.put("first_conv", "patch_embed.proj");
    config.put("pretrained_cfg", pretrained);
    writeJson(dir.resolve("config.json"), config);
  }

  private void writeConnector(Path dir, VLConnector connector) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : connector.getParameters()) {
      tensors.put(p.getKey(), p.getValue().getArray());
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, METADATA);
    Map<String, Object> description = new LinkedHashMap<>();
    Config section = model.plan().config().config().getConfig("mm1.model.connector");
    description.put("type", section.getString("type"));
    JsonElement options =
        JsonParser.parseString(section.root().render(ConfigRenderOptions.concise()));
    description.put("options", options);
    PatchGrid grid = model.instance().model().components().encoder().outputGrid();
    description.put("input_grid", List.of(grid.height(), grid.width()));
    description.put("input_width", grid.channels());
    description.put("tokens", connector.tokens());
    description.put("output_width", connector.outputWidth());
    description.put("class", connector.getClass().getName());
    writeJson(dir.resolve("connector.json"), description);
  }

  private List<String> writeLlava(
      Path dir, LayoutExport decoder, LayoutExport projector, Components c) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>(decoder.tensors());
    tensors.putAll(projector.tensors());
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, METADATA);
    Map<String, Object> config = llamaConfig(decoder);
    config.put("architectures", List.of("LlavaLlamaForCausalLM"));
    config.put("model_type", "llava_llama");
    config.putAll(projector.config());
    config.put("mm_vision_tower", "../timm");
    config.put("mm_vision_select_layer", -1);
    config.put("mm_vision_select_feature", "patch");
    config.put("mm_use_im_start_end", false);
    config.put("mm_use_im_patch_token", false);
    config.put("image_aspect_ratio", "square");
    config.put("mm1_image_tokens", c.connector().tokens());
    config.put("mm1_image_token_id", model.tokenizer().imageId());
    writeJson(dir.resolve("config.json"), config);
    return List.of(
        "LLaVA's code builds its vision tower as a CLIP model from mm_vision_tower; this model's"
            + " tower is the timm ViT of ../timm (no class token, features after its final"
            + " LayerNorm), which LLaVA's loader does not read");
  }

  private static List<String> prefixed(String format, List<String> notes) {
    return notes.stream().map(n -> format + ": " + n).toList();
  }

  private static void writeJson(Path file, Object value) throws IOException {
    AtomicFiles.writeString(file, JSON.toJson(value) + "\n");
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover staging folder has a name of its own and never shadows --out
    }
  }
}
