package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.toolkit.options.ConfigOptions;
import org.mm1lab.toolkit.weights.SafetensorsWriter;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/**
 * The {@code checkpoint} option on real files the tests write: MM1 Lab's own layout, timm's layout
 * with its fused qkv and class-token row, position embeddings resampled to another resolution, and
 * mismatches reported all at once with nothing changed.
 */
class VitCheckpointTest {

  private static final int WIDTH = 16;
  private static final int LAYERS = 2;

  @TempDir Path dir;

  /** A clip-vit from the factory, as a run builds it. */
  private static VisionTransformer vit(int imageSize, String checkpoint) {
    String hocon =
        "image-size = "
            + imageSize
            + "\npatch-size = 8\nwidth = "
            + WIDTH
            + "\nlayers = "
            + LAYERS
            + "\nheads = 2\nmlp-ratio = 2.0\n"
            + ObjectiveTestSupport.objectiveOptions(new ClipVitFactory())
            + "checkpoint = \""
            + checkpoint
            + "\"\n";
    return (VisionTransformer)
        new ClipVitFactory()
            .create(ConfigOptions.parse("mm1.model.encoder", hocon), new EncoderContext(1));
  }

  private static VisionTransformer initialised(
      NDManager manager, int imageSize, String checkpoint, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    VisionTransformer vit = vit(imageSize, checkpoint);
    vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
    return vit;
  }

  private static NDArray encode(NDManager manager, VisionTransformer vit, NDArray pixels) {
    return vit.encode(new ParameterStore(manager, false), pixels, false);
  }

  /** Every parameter under its block name: the layout {@code mm1 pretrain-encoder} writes. */
  private static Map<String, NDArray> ownLayout(VisionTransformer vit) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : vit.getParameters()) {
      tensors.put(p.getKey(), p.getValue().getArray());
    }
    return tensors;
  }

  @Test
  void ownLayoutLoadsThroughTheCheckpointOptionWithIdenticalOutputs() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer trained = initialised(manager, 32, "", 11);
      Path file = dir.resolve("encoder.safetensors");
      SafetensorsWriter.write(file, ownLayout(trained));
      // The documented names are the real ones.
      assertTrue(ownLayout(trained).containsKey("01patchEmbedding_weight"));
      assertTrue(ownLayout(trained).containsKey("positionEmbedding"));
      assertTrue(ownLayout(trained).containsKey("02block0_02attention_01query_weight"));

      VisionTransformer fresh = initialised(manager, 32, file.toString(), 99);
      NDArray pixels = manager.randomNormal(new Shape(2, 3, 32, 32));
      assertFalse(encode(manager, trained, pixels).contentEquals(encode(manager, fresh, pixels)));
      assertTrue(fresh.loadPretrained(manager));
      assertArrayEquals(
          encode(manager, trained, pixels).toFloatArray(),
          encode(manager, fresh, pixels).toFloatArray());
      assertFalse(initialised(manager, 32, "", 3).loadPretrained(manager), "no checkpoint set");
    }
  }

  @Test
  void anotherImageSizeResamplesThePositionEmbeddings() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer trained = initialised(manager, 32, "", 11); // 4 x 4 patches
      Path file = dir.resolve("encoder.safetensors");
      SafetensorsWriter.write(file, ownLayout(trained));

      VisionTransformer larger = initialised(manager, 48, file.toString(), 99); // 6 x 6
      assertTrue(larger.loadPretrained(manager));
      NDArray expected =
          PositionGridResampler.resample(trained.positionEmbedding().getArray(), 4, 6);
      assertEquals(new Shape(36, WIDTH), larger.positionEmbedding().getArray().getShape());
      assertTrue(expected.allClose(larger.positionEmbedding().getArray(), 1e-6, 1e-6, false));
      // Every other parameter is the trained one: the same model as withImageSize gives.
      VisionTransformer resized = trained.withImageSize(48, manager);
      NDArray pixels = manager.randomNormal(new Shape(2, 3, 48, 48));
      assertTrue(
          encode(manager, resized, pixels)
              .allClose(encode(manager, larger, pixels), 1e-5, 1e-5, false));
    }
  }

  /**
   * A timm {@code vit_*} file for {@code source}: fused qkv, a class-token row first in {@code
   * pos_embed} (filled with a value that must not be used), a class token and a classifier head.
   */
  private static Map<String, NDArray> timmLayout(NDManager manager, VisionTransformer source) {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("cls_token", manager.ones(new Shape(1, 1, WIDTH)));
    NDArray positions = source.positionEmbedding().getArray();
    NDArray classRow = manager.full(new Shape(1, WIDTH), 1000f);
    t.put(
        "pos_embed", NDArrays.concat(new ai.djl.ndarray.NDList(classRow, positions)).expandDims(0));
    t.put(
        "patch_embed.proj.weight",
        source.patchEmbedding().getParameters().get("weight").getArray());
    t.put("patch_embed.proj.bias", source.patchEmbedding().getParameters().get("bias").getArray());
    for (int i = 0; i < LAYERS; i++) {
      TransformerBlock block = source.blocks().get(i);
      MultiHeadSelfAttention attention = block.attention();
      String p = "blocks." + i + ".";
      t.put(p + "norm1.weight", block.attentionNorm().getParameters().get("gamma").getArray());
      t.put(p + "norm1.bias", block.attentionNorm().getParameters().get("beta").getArray());
      for (String kind : List.of("weight", "bias")) {
        t.put(
            p + "attn.qkv." + kind,
            NDArrays.concat(
                new ai.djl.ndarray.NDList(
                    attention.query().getParameters().get(kind).getArray(),
                    attention.key().getParameters().get(kind).getArray(),
                    attention.value().getParameters().get(kind).getArray())));
        t.put(p + "attn.proj." + kind, attention.output().getParameters().get(kind).getArray());
        t.put(p + "mlp.fc1." + kind, block.mlp().expand().getParameters().get(kind).getArray());
        t.put(p + "mlp.fc2." + kind, block.mlp().contract().getParameters().get(kind).getArray());
      }
      t.put(p + "norm2.weight", block.mlpNorm().getParameters().get("gamma").getArray());
      t.put(p + "norm2.bias", block.mlpNorm().getParameters().get("beta").getArray());
    }
    t.put("norm.weight", source.finalNorm().getParameters().get("gamma").getArray());
    t.put("norm.bias", source.finalNorm().getParameters().get("beta").getArray());
    t.put("head.weight", manager.ones(new Shape(10, WIDTH)));
    t.put("head.bias", manager.zeros(new Shape(10)));
    return t;
  }

  @Test
  void timmLayoutSplitsTheFusedQkvAndDropsTheClassTokenRow() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer source = initialised(manager, 32, "", 11);
      Map<String, NDArray> timm = timmLayout(manager, source);
      Path file = dir.resolve("vit_tiny.safetensors");
      SafetensorsWriter.write(file, timm);

      VisionTransformer fresh = initialised(manager, 32, file.toString(), 99);
      assertTrue(fresh.loadPretrained(manager));
      // Row r of q, k and v is row r, D + r and 2D + r of the fused matrix.
      float[] qkv = timm.get("blocks.1.attn.qkv.weight").toFloatArray();
      MultiHeadSelfAttention attention = fresh.blocks().get(1).attention();
      int r = 3;
      int c = 5;
      assertEquals(
          qkv[r * WIDTH + c],
          attention.query().getParameters().get("weight").getArray().getFloat(r, c));
      assertEquals(
          qkv[(WIDTH + r) * WIDTH + c],
          attention.key().getParameters().get("weight").getArray().getFloat(r, c));
      assertEquals(
          qkv[(2 * WIDTH + r) * WIDTH + c],
          attention.value().getParameters().get("weight").getArray().getFloat(r, c));
      float[] qkvBias = timm.get("blocks.1.attn.qkv.bias").toFloatArray();
      assertEquals(
          qkvBias[2 * WIDTH + r],
          attention.value().getParameters().get("bias").getArray().getFloat(r));
      // The class-token row (all 1000) is gone; the patch rows are the source's.
      assertArrayEquals(
          source.positionEmbedding().getArray().toFloatArray(),
          fresh.positionEmbedding().getArray().toFloatArray());
      NDArray pixels = manager.randomNormal(new Shape(2, 3, 32, 32));
      assertArrayEquals(
          encode(manager, source, pixels).toFloatArray(),
          encode(manager, fresh, pixels).toFloatArray());
    }
  }

  @Test
  void timmPositionGridOfAnotherSizeIsResampled() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer source = initialised(manager, 24, "", 11); // 3 x 3 patches
      Path file = dir.resolve("vit_small_grid.safetensors");
      SafetensorsWriter.write(file, timmLayout(manager, source));

      VisionTransformer fresh = initialised(manager, 32, file.toString(), 99); // 4 x 4
      assertTrue(fresh.loadPretrained(manager));
      NDArray expected =
          PositionGridResampler.resample(source.positionEmbedding().getArray(), 3, 4);
      assertTrue(expected.allClose(fresh.positionEmbedding().getArray(), 1e-6, 1e-6, false));
    }
  }

  @Test
  void mismatchesAreListedTogetherAndNothingChanges() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer source = initialised(manager, 32, "", 11);
      Map<String, NDArray> timm = timmLayout(manager, source);
      timm.remove("blocks.1.mlp.fc2.weight");
      timm.remove("blocks.0.attn.qkv.bias");
      timm.put("blocks.0.attn.q_norm.weight", manager.ones(new Shape(8)));
      timm.put("blocks.1.norm1.weight", manager.ones(new Shape(WIDTH + 1)));
      timm.put("blocks.1.attn.qkv.weight", manager.ones(new Shape(2 * WIDTH, WIDTH)));
      timm.put("pos_embed", manager.ones(new Shape(1, 7, WIDTH)));
      Path file = dir.resolve("vit_wrong.safetensors");
      SafetensorsWriter.write(file, timm);

      VisionTransformer fresh = initialised(manager, 32, file.toString(), 99);
      float[] before =
          fresh
              .blocks()
              .get(0)
              .attentionNorm()
              .getParameters()
              .get("gamma")
              .getArray()
              .toFloatArray();
      WeightMismatchException e =
          assertThrows(WeightMismatchException.class, () -> fresh.loadPretrained(manager));
      assertEquals(List.of("blocks.1.mlp.fc2.weight", "blocks.0.attn.qkv.bias"), e.missing());
      assertEquals(List.of("blocks.0.attn.q_norm.weight"), e.unexpected());
      assertEquals(3, e.misshaped().size(), e.misshaped().toString());
      assertTrue(
          e.misshaped().get(0).startsWith("blocks.1.norm1.weight: expected (16), found (17)"));
      assertTrue(e.misshaped().get(1).startsWith("blocks.1.attn.qkv.weight: expected (48, 16)"));
      assertTrue(e.misshaped().get(2).startsWith("pos_embed: expected (1, K + N', 16)"));
      assertTrue(e.getMessage().contains("2 missing, 1 unexpected, 3 mis-shaped"), e.getMessage());
      assertArrayEquals(
          before,
          fresh
              .blocks()
              .get(0)
              .attentionNorm()
              .getParameters()
              .get("gamma")
              .getArray()
              .toFloatArray(),
          "nothing was copied");
    }
  }

  @Test
  void aCheckpointOfAnotherWidthIsMisShapedInTheOwnLayoutToo() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Path file = dir.resolve("encoder.safetensors");
      Map<String, NDArray> tensors = ownLayout(initialised(manager, 32, "", 11));
      tensors.put("positionEmbedding", manager.zeros(new Shape(15, WIDTH)));
      tensors.put("extra", manager.zeros(new Shape(1)));
      tensors.remove("01patchEmbedding_bias");
      SafetensorsWriter.write(file, tensors);
      WeightMismatchException e =
          assertThrows(
              WeightMismatchException.class,
              () -> initialised(manager, 32, file.toString(), 1).loadPretrained(manager));
      assertEquals(List.of("01patchEmbedding_bias"), e.missing());
      assertEquals(List.of("extra"), e.unexpected());
      assertEquals(1, e.misshaped().size());
      assertTrue(
          e.misshaped().get(0).startsWith("positionEmbedding: expected (N', 16) with a square"));
    }
  }

  @Test
  void aMissingCheckpointFileFailsAtAssemblyNamingTheOption() {
    InvalidOptionException e =
        assertThrows(
            InvalidOptionException.class,
            () -> vit(32, dir.resolve("nope.safetensors").toString()));
    assertEquals("checkpoint", e.key());
    assertTrue(e.getMessage().startsWith("no such file '"), e.getMessage());
  }
}
