package org.mm1lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.cli.Mm1Cli.mm1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.cli.Mm1Cli.Result;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.assembly.RunPlan;
import org.mm1lab.core.run.ModelInstance;
import org.mm1lab.core.run.TrainedModel;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.SafetensorsReader;
import org.mm1lab.toolkit.weights.WeightLoader;

/**
 * {@code mm1 export} on a model trained for a few steps: the files follow the Llama, timm and LLaVA
 * layouts (names, shapes, config fields, safetensors metadata), and loaded back through the
 * components' own {@code checkpoint} options they give the same outputs, bit for bit.
 */
class ExportCommandTest {

  private static final String RUN =
      InterruptTest.TINY_RUN
          .replace("steps = 100000", "steps = 3")
          .replace(
              "connector { type = avg-pool, tokens = 4 }", "connector { type = mlp, depth = 2 }")
          .replace("kv-heads = 2, ffn = 64", "kv-heads = 1, ffn = 64, tie-embeddings = false");

  @TempDir Path dir;

  @Test
  void anExportedModelFollowsTheLayoutsAndReloadsWithIdenticalOutputs() throws Exception {
    Path runFile = dir.resolve("tiny.conf");
    Files.writeString(runFile, RUN);
    Path run = dir.resolve("run");
    Result trained = mm1("train", runFile.toString(), "--out", run.toString());
    assertEquals(0, trained.status(), trained.err());
    Path out = dir.resolve("export");
    Result export = mm1("export", run.toString(), "--out", out.toString());
    assertEquals(0, export.status(), export.err());
    for (String folder : List.of("llama", "timm", "connector", "llava")) {
      assertTrue(export.out().contains(folder + ": " + out.resolve(folder)), export.out());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".partial-")));
    }

    // Llama: LlamaForCausalLM's names and shapes, LlamaConfig's fields
    int v = tokens(out);
    Map<String, Shape> llama = shapes(out.resolve("llama/model.safetensors"));
    assertEquals(
        Set.of(
            "model.embed_tokens.weight",
            "model.layers.0.input_layernorm.weight",
            "model.layers.0.self_attn.q_proj.weight",
            "model.layers.0.self_attn.k_proj.weight",
            "model.layers.0.self_attn.v_proj.weight",
            "model.layers.0.self_attn.o_proj.weight",
            "model.layers.0.post_attention_layernorm.weight",
            "model.layers.0.mlp.gate_proj.weight",
            "model.layers.0.mlp.up_proj.weight",
            "model.layers.0.mlp.down_proj.weight",
            "model.norm.weight",
            "lm_head.weight"),
        llama.keySet());
    assertEquals(new Shape(v, 32), llama.get("model.embed_tokens.weight"));
    assertEquals(new Shape(32, 32), llama.get("model.layers.0.self_attn.q_proj.weight"));
    assertEquals(new Shape(16, 32), llama.get("model.layers.0.self_attn.k_proj.weight"));
    assertEquals(new Shape(64, 32), llama.get("model.layers.0.mlp.gate_proj.weight"));
    assertEquals(new Shape(32, 64), llama.get("model.layers.0.mlp.down_proj.weight"));
    assertEquals(new Shape(32), llama.get("model.norm.weight"));
    JsonObject config = json(out.resolve("llama/config.json"));
    assertEquals("LlamaForCausalLM", config.getAsJsonArray("architectures").get(0).getAsString());
    assertEquals("llama", config.get("model_type").getAsString());
    assertEquals(32, config.get("hidden_size").getAsInt());
    assertEquals(64, config.get("intermediate_size").getAsInt());
    assertEquals(2, config.get("num_attention_heads").getAsInt());
    assertEquals(1, config.get("num_key_value_heads").getAsInt());
    assertEquals(1, config.get("num_hidden_layers").getAsInt());
    assertEquals(1e-5, config.get("rms_norm_eps").getAsDouble());
    assertEquals(10000.0, config.get("rope_theta").getAsDouble());
    assertEquals(v, config.get("vocab_size").getAsInt());
    assertEquals(48, config.get("max_position_embeddings").getAsInt());
    assertFalse(config.get("tie_word_embeddings").getAsBoolean());
    assertEquals("float32", config.get("torch_dtype").getAsString());
    assertTrue(config.get("rope_scaling").isJsonNull());
    JsonObject vocabulary = json(out.resolve("llama/vocab.json"));
    assertEquals(1, vocabulary.get("<bos>").getAsInt());
    assertEquals(config.get("bos_token_id").getAsInt(), vocabulary.get("<bos>").getAsInt());
    assertEquals(
        "<eos>", json(out.resolve("llama/special_tokens_map.json")).get("eos_token").getAsString());

    // timm: VisionTransformer's names, without a class token
    Map<String, Shape> timm = shapes(out.resolve("timm/model.safetensors"));
    assertEquals(new Shape(32, 3, 8, 8), timm.get("patch_embed.proj.weight"));
    assertEquals(new Shape(1, 16, 32), timm.get("pos_embed"));
    assertEquals(new Shape(96, 32), timm.get("blocks.0.attn.qkv.weight"));
    assertEquals(new Shape(96), timm.get("blocks.0.attn.qkv.bias"));
    assertEquals(new Shape(32, 32), timm.get("blocks.0.attn.proj.weight"));
    assertEquals(new Shape(32), timm.get("blocks.0.norm1.weight"));
    assertEquals(new Shape(128, 32), timm.get("blocks.0.mlp.fc1.weight"));
    assertEquals(new Shape(32), timm.get("norm.bias"));
    assertFalse(timm.containsKey("cls_token"));
    assertEquals(17, timm.size()); // patch (2), pos_embed, 12 per block, norm (2)
    JsonObject timmConfig = json(out.resolve("timm/config.json"));
    JsonObject args = timmConfig.getAsJsonObject("model_args");
    assertEquals(32, args.get("img_size").getAsInt());
    assertEquals(8, args.get("patch_size").getAsInt());
    assertEquals(32, args.get("embed_dim").getAsInt());
    assertEquals(1, args.get("depth").getAsInt());
    assertEquals(2, args.get("num_heads").getAsInt());
    assertEquals(4.0, args.get("mlp_ratio").getAsDouble());
    assertFalse(args.get("class_token").getAsBoolean());
    assertEquals(0, timmConfig.get("num_classes").getAsInt());

    // LLaVA: the decoder's tensors and the projector under mm_projector
    Map<String, Shape> llava = shapes(out.resolve("llava/model.safetensors"));
    assertTrue(llava.keySet().containsAll(llama.keySet()));
    assertEquals(new Shape(32, 32), llava.get("model.mm_projector.0.weight"));
    assertEquals(new Shape(32, 32), llava.get("model.mm_projector.2.weight"));
    assertEquals(new Shape(32), llava.get("model.mm_projector.2.bias"));
    assertEquals(llama.size() + 4, llava.size());
    JsonObject llavaConfig = json(out.resolve("llava/config.json"));
    assertEquals("mlp2x_gelu", llavaConfig.get("mm_projector_type").getAsString());
    assertEquals(32, llavaConfig.get("mm_hidden_size").getAsInt());
    assertEquals("mlp", json(out.resolve("connector/connector.json")).get("type").getAsString());
    JsonObject summary = json(out.resolve("export.json"));
    assertEquals(3, summary.get("step").getAsInt());

    for (String file :
        List.of(
            "llama/model.safetensors",
            "timm/model.safetensors",
            "llava/model.safetensors",
            "connector/model.safetensors")) {
      assertEquals(
          "pt",
          header(out.resolve(file)).getAsJsonObject("__metadata__").get("format").getAsString(),
          file);
    }

    // reloaded through the components' checkpoint options: identical outputs
    assertReloadsIdentically(run, out);

    // nothing is overwritten; bad formats are named
    Result again = mm1("export", run.toString(), "--out", out.toString());
    assertEquals(2, again.status());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    assertTrue(again.err().contains("is not empty"), again.err());
    Result bad =
        mm1("export", run.toString(), "--out", dir.resolve("x").toString(), "--format", "onnx");
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("--format onnx: unknown format"), bad.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  private void assertReloadsIdentically(Path run, Path out) throws IOException {
    Assembly assembly = new Assembly(ExportCommandTest.class.getClassLoader());
    try (TrainedModel trained = TrainedModel.open(assembly, run, List.of());
        NDManager m = NDManager.newBaseManager()) {
      RunPlan plan =
          assembly.plan(
              trained.directory().configFile(),
              List.of(
                  "mm1.seed=99",
                  "mm1.model.decoder.checkpoint=\"" + out.resolve("llama/model.safetensors") + "\"",
                  "mm1.model.encoder.checkpoint=\""
                      + out.resolve("timm/model.safetensors")
                      + "\""));
      Components fresh = assembly.assemble(plan);
      try (ModelInstance reloaded = ModelInstance.allocate(plan, fresh)) {
        Components original = trained.instance().model().components();
        NDArray pixels = m.randomUniform(0, 1, new Shape(2, 3, 32, 32));
        NDArray tokens = m.create(new long[][] {{1, 7, 9, 12, 5, 2}});
        float[] encodedBefore = encode(original, pixels);
        float[] logitsBefore = logits(original, tokens);
        assertFalse(
            java.util.Arrays.equals(encodedBefore, encode(fresh, pixels)),
            "differs before loading");
        assertEquals(2, reloaded.loadPretrained().size());
        ParameterMapping.Builder connector = ParameterMapping.builder();
        for (Pair<String, Parameter> p : fresh.connector().getParameters()) {
          connector.put(p.getKey(), p.getValue());
        }
        WeightLoader.load(out.resolve("connector/model.safetensors"), connector.build(), m);
        assertTrue(java.util.Arrays.equals(encodedBefore, encode(fresh, pixels)), "encoder");
        assertTrue(java.util.Arrays.equals(logitsBefore, logits(fresh, tokens)), "decoder");
        NDArray features = m.randomNormal(new Shape(2, 16, 32));
        ParameterStore ps = new ParameterStore(m, false);
        assertTrue(
            java.util.Arrays.equals(
                original.connector().connect(ps, features, false).toFloatArray(),
                fresh.connector().connect(ps, features, false).toFloatArray()),
            "connector");
      }
    }
  }

  private static float[] encode(Components c, NDArray pixels) {
    return c.encoder()
        .encode(new ParameterStore(pixels.getManager(), false), pixels, false)
        .toFloatArray();
  }

  private static float[] logits(Components c, NDArray tokens) {
    return c.decoder()
        .decode(
            new ParameterStore(tokens.getManager(), false),
            DecoderInput.text(tokens, tokens.onesLike()),
            null,
            false)
        .logits()
        .toFloatArray();
  }

  private static int tokens(Path out) throws IOException {
    return json(out.resolve("llama/vocab.json")).size();
  }

  private static Map<String, Shape> shapes(Path file) throws IOException {
    Map<String, Shape> out = new java.util.LinkedHashMap<>();
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      for (String name : reader.names()) {
        out.put(name, reader.info(name).shape());
      }
    }
    return out;
  }

  /** The safetensors header, read as the format defines it: a u64 length, then JSON. */
  private static JsonObject header(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return JsonParser.parseString(new String(bytes, 8, (int) length, StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }
}
