package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.plugins.decoders.DecoderFixtures.TINY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.context;
import static org.mm1lab.plugins.decoders.DecoderFixtures.decoder;
import static org.mm1lab.plugins.decoders.DecoderFixtures.maxDiff;
import static org.mm1lab.plugins.decoders.DecoderFixtures.moeDecoder;
import static org.mm1lab.plugins.decoders.DecoderFixtures.moeOptions;
import static org.mm1lab.plugins.decoders.DecoderFixtures.options;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.LayoutUnavailableException;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.SafetensorsWriter;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/** Writing a model under Llama (and Mixtral) names and loading it into a fresh one. */
class LlamaCheckpointTest {

  @TempDir Path directory;

  /** The model's parameters under its Llama names. */
  private static Map<String, NDArray> tensors(DenseDecoder d) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : d.llamaLayout().parameters().entrySet()) {
      out.put(e.getKey(), e.getValue().getArray());
    }
    return out;
  }

  private static NDArray logits(DenseDecoder d, NDManager m) {
    NDArray tokens = m.create(new long[][] {{3, 1, 4, 1, 5, 9}});
    return d.decode(
            new ParameterStore(m, false), DecoderInput.text(tokens, tokens.onesLike()), null, false)
        .logits();
  }

  @Test
  void llamaNamesAreTheDocumentedOnes() {
    try (NDManager m = NDManager.newBaseManager()) {
      ParameterMapping layout = decoder(m, TINY + "tie-embeddings = false", 1, 2).llamaLayout();
      Map<String, Parameter> p = layout.parameters();
      assertEquals(new Shape(11, 16), p.get("model.embed_tokens.weight").getArray().getShape());
      assertEquals(
          new Shape(16, 16), p.get("model.layers.1.self_attn.q_proj.weight").getArray().getShape());
      // 2 key/value heads of width 4: (out, in) = (8, 16), as Hugging Face stores k_proj
      assertEquals(
          new Shape(8, 16), p.get("model.layers.1.self_attn.k_proj.weight").getArray().getShape());
      assertEquals(
          new Shape(24, 16), p.get("model.layers.0.mlp.gate_proj.weight").getArray().getShape());
      assertEquals(
          new Shape(16, 24), p.get("model.layers.0.mlp.down_proj.weight").getArray().getShape());
      assertEquals(
          new Shape(16), p.get("model.layers.0.input_layernorm.weight").getArray().getShape());
      assertTrue(p.containsKey("model.layers.0.post_attention_layernorm.weight"));
      assertTrue(p.containsKey("model.norm.weight"));
      assertTrue(p.containsKey("lm_head.weight"));
      assertEquals(2 + 2 * 9 + 1, p.size());
      assertEquals(d(m).getParameters().size(), d(m).llamaLayout().parameters().size());
      assertTrue(layout.ignores("model.layers.0.self_attn.rotary_emb.inv_freq"));
    }
  }

  private static DenseDecoder d(NDManager m) {
    return decoder(m, TINY, 1, 2);
  }

  @Test
  void aDenseModelWrittenUnderLlamaNamesLoadsIntoAFreshOneWithEqualLogits() throws Exception {
    for (String variant : new String[] {TINY, TINY + "tie-embeddings = false"}) {
      try (NDManager m = NDManager.newBaseManager()) {
        Engine.getInstance().setRandomSeed(1);
        DenseDecoder source = decoder(m, variant, 1, 6);
        Path file = directory.resolve("llama.safetensors");
        SafetensorsWriter.write(file, tensors(source), Map.of("format", "pt"));

        Engine.getInstance().setRandomSeed(2);
        DenseDecoder fresh =
            (DenseDecoder)
                new DenseDecoderFactory()
                    .create(options(variant + "\ncheckpoint = \"" + file + "\""), context());
        fresh.initialize(m, DataType.FLOAT32, new Shape(1, 6));
        assertTrue(maxDiff(logits(source, m), logits(fresh, m)) > 1e-3f, "differs before");
        assertTrue(fresh.loadPretrained(m));
        assertEquals(0f, maxDiff(logits(source, m), logits(fresh, m)), 1e-6f);
      }
    }
  }

  @Test
  void thePublishedLayoutIsTheLoadersInverseWithLlamaConfigFields() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      String variant = TINY + "tie-embeddings = false\nrope-base = 500000\nnorm-eps = 1e-6";
      DenseDecoder source = decoder(m, variant, 1, 6);
      LayoutExport export = source.publishedLayout(m);
      assertEquals("llama", export.layout());
      assertEquals(tensors(source).keySet(), export.tensors().keySet());
      Map<String, Object> c = export.config();
      assertEquals(List.of("LlamaForCausalLM"), c.get("architectures"));
      assertEquals("llama", c.get("model_type"));
      assertEquals(16, c.get("hidden_size"));
      assertEquals(24, c.get("intermediate_size"));
      assertEquals(2, c.get("num_hidden_layers"));
      assertEquals(4, c.get("num_attention_heads"));
      assertEquals(2, c.get("num_key_value_heads"));
      assertEquals(4, c.get("head_dim"));
      assertEquals(1e-6, c.get("rms_norm_eps"));
      assertEquals(500000.0, c.get("rope_theta"));
      assertEquals(11, c.get("vocab_size"));
      assertEquals(false, c.get("tie_word_embeddings"));
      assertEquals("silu", c.get("hidden_act"));
      assertTrue(export.deviations().isEmpty());
      // the embedding's (V, D) and the layer shapes as LlamaForCausalLM's state dict has them
      assertEquals(new Shape(11, 16), export.tensors().get("model.embed_tokens.weight").getShape());
      assertEquals(new Shape(11, 16), export.tensors().get("lm_head.weight").getShape());
      assertEquals(
          new Shape(8, 16),
          export.tensors().get("model.layers.1.self_attn.v_proj.weight").getShape());

      Path file = directory.resolve("exported.safetensors");
      SafetensorsWriter.write(file, export.tensors(), Map.of("format", "pt"));
      Engine.getInstance().setRandomSeed(4);
      DenseDecoder fresh = decoder(m, variant, 1, 6);
      assertTrue(maxDiff(logits(source, m), logits(fresh, m)) > 1e-3f, "differs before");
      fresh.loadLlamaCheckpoint(file, m);
      assertEquals(0f, maxDiff(logits(source, m), logits(fresh, m)));
    }
  }

  @Test
  void aMixtureOfExpertsHasNoLlamaLayout() {
    try (NDManager m = NDManager.newBaseManager()) {
      MoeDecoder moe = moeDecoder(m, TINY + "experts = 2", 1, 2);
      LayoutUnavailableException e =
          assertThrows(LayoutUnavailableException.class, () -> moe.publishedLayout(m));
      assertTrue(e.getMessage().contains("type = moe"), e.getMessage());
    }
  }

  @Test
  void withoutACheckpointLoadPretrainedDoesNothing() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertFalse(decoder(m, TINY, 1, 2).loadPretrained(m));
    }
  }

  @Test
  void aFloat16CheckpointLoadsIntoFloat32Parameters() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder source = decoder(m, TINY, 1, 6);
      Map<String, NDArray> half = new LinkedHashMap<>();
      tensors(source).forEach((k, v) -> half.put(k, v.toType(DataType.FLOAT16, false)));
      Path file = directory.resolve("half.safetensors");
      SafetensorsWriter.write(file, half);
      DenseDecoder fresh = decoder(m, TINY, 1, 6);
      fresh.loadLlamaCheckpoint(file, m);
      assertTrue(maxDiff(logits(source, m), logits(fresh, m)) < 1e-2f);
    }
  }

  @Test
  void aMixtureModelLoadsUnderMixtralNames() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      String variant = TINY + "experts = 3\nevery = 2";
      MoeDecoder source = moeDecoder(m, variant, 1, 6);
      Map<String, NDArray> tensors = tensors(source);
      assertTrue(tensors.containsKey("model.layers.0.mlp.up_proj.weight"), "layer 1 is dense");
      assertEquals(
          new Shape(3, 16), tensors.get("model.layers.1.block_sparse_moe.gate.weight").getShape());
      assertEquals(
          new Shape(24, 16),
          tensors.get("model.layers.1.block_sparse_moe.experts.2.w1.weight").getShape());
      assertEquals(
          new Shape(16, 24),
          tensors.get("model.layers.1.block_sparse_moe.experts.2.w2.weight").getShape());
      assertEquals(source.getParameters().size(), tensors.size());
      Path file = directory.resolve("mixtral.safetensors");
      SafetensorsWriter.write(file, tensors);

      Engine.getInstance().setRandomSeed(6);
      MoeDecoder fresh =
          (MoeDecoder)
              new MoeDecoderFactory()
                  .create(moeOptions(variant + "\ncheckpoint = \"" + file + "\""), context());
      fresh.initialize(m, DataType.FLOAT32, new Shape(1, 6));
      assertTrue(fresh.loadPretrained(m));
      assertEquals(0f, maxDiff(logits(source, m), logits(fresh, m)), 1e-6f);
    }
  }

  @Test
  void oneMessageListsTheMissingTheUnexpectedAndTheMisshapedTensors() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      DenseDecoder source = decoder(m, TINY, 1, 6);
      Map<String, NDArray> tensors = tensors(source);
      tensors.remove("model.layers.1.mlp.up_proj.weight");
      tensors.put("model.layers.2.mlp.up_proj.weight", m.zeros(new Shape(24, 16)));
      tensors.put("model.norm.weight", m.zeros(new Shape(17)));
      tensors.put("model.layers.0.self_attn.rotary_emb.inv_freq", m.zeros(new Shape(2)));
      Path file = directory.resolve("bad.safetensors");
      SafetensorsWriter.write(file, tensors);

      DenseDecoder fresh = decoder(m, TINY, 1, 6);
      NDArray before = logits(fresh, m);
      WeightMismatchException e =
          assertThrows(WeightMismatchException.class, () -> fresh.loadLlamaCheckpoint(file, m));
      String message = e.getMessage();
      assertTrue(message.contains("1 missing, 1 unexpected, 1 mis-shaped"), message);
      assertTrue(
          message.contains(
              "missing tensors (the model needs them, the file lacks them):\n"
                  + "  model.layers.1.mlp.up_proj.weight"),
          message);
      assertTrue(
          message.contains(
              "unexpected tensors (in the file, not used by the model):\n"
                  + "  model.layers.2.mlp.up_proj.weight"),
          message);
      assertTrue(
          message.contains("mis-shaped tensors:\n  model.norm.weight: expected (16), found (17)"),
          message);
      assertFalse(message.contains("inv_freq"), "rotary tables are ignored");
      assertEquals(0f, maxDiff(before, logits(fresh, m)), "nothing was loaded");
    }
  }
}
