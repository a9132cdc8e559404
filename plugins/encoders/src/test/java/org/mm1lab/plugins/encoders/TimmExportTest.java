package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.toolkit.options.ConfigOptions;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.LayoutUnavailableException;
import org.mm1lab.toolkit.weights.SafetensorsWriter;

/** The timm export is the inverse of the timm import: written, loaded, identical features. */
class TimmExportTest {

  @TempDir Path dir;

  private static VisionTransformer vit(String extra, String checkpoint, int seed, NDManager m) {
    Engine.getInstance().setRandomSeed(seed);
    String hocon =
        "image-size = 32\npatch-size = 8\nwidth = 16\nlayers = 2\nheads = 2\nmlp-ratio = 2.0\n"
            + extra
            + ObjectiveTestSupport.objectiveOptions(new ClipVitFactory())
            + "checkpoint = \""
            + checkpoint
            + "\"\n";
    VisionTransformer vit =
        (VisionTransformer)
            new ClipVitFactory()
                .create(ConfigOptions.parse("mm1.model.encoder", hocon), new EncoderContext(1));
    vit.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    return vit;
  }

  @Test
  void exportedTimmTensorsLoadBackWithIdenticalFeatures() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      VisionTransformer trained = vit("", "", 5, m);
      LayoutExport export = trained.publishedLayout(m);
      assertEquals("timm-vit", export.layout());
      Map<String, NDArray> t = export.tensors();
      assertEquals(new Shape(1, 16, 16), t.get("pos_embed").getShape());
      assertEquals(new Shape(48, 16), t.get("blocks.1.attn.qkv.weight").getShape());
      assertEquals(new Shape(16, 3, 8, 8), t.get("patch_embed.proj.weight").getShape());
      assertTrue(t.containsKey("norm.weight"));
      assertFalse(t.containsKey("cls_token"));
      assertEquals(1, export.deviations().size());
      @SuppressWarnings("unchecked")
      Map<String, Object> args = (Map<String, Object>) export.config().get("model_args");
      assertEquals(2.0, args.get("mlp_ratio"));
      assertEquals(false, args.get("class_token"));

      Path file = dir.resolve("timm.safetensors");
      SafetensorsWriter.write(file, t, Map.of("format", "pt"));
      VisionTransformer fresh = vit("", file.toString(), 77, m);
      NDArray pixels = m.randomNormal(new Shape(2, 3, 32, 32));
      ParameterStore ps = new ParameterStore(m, false);
      assertFalse(trained.encode(ps, pixels, false).contentEquals(fresh.encode(ps, pixels, false)));
      assertTrue(fresh.loadPretrained(m));
      assertArrayEquals(
          trained.encode(ps, pixels, false).toFloatArray(),
          fresh.encode(ps, pixels, false).toFloatArray());
    }
  }

  @Test
  void aConvolutionalStemIsRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      VisionTransformer conv = vit("stem = conv\n", "", 1, m);
      LayoutUnavailableException e =
          assertThrows(LayoutUnavailableException.class, () -> conv.publishedLayout(m));
      assertTrue(e.getMessage().contains("stem = conv"), e.getMessage());
    }
  }
}
