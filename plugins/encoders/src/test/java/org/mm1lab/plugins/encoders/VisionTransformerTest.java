package org.mm1lab.plugins.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.options.ConfigOptions;

class VisionTransformerTest {

  private static final EncoderContext CONTEXT = new EncoderContext(7);

  /** A tiny ViT: width 8, 2 heads of 4, 2 layers, MLP hidden 16. */
  private static VisionTransformer tiny(ImageEncoderFactory factory, int imageSize) {
    return tiny(factory, imageSize, "patch");
  }

  private static VisionTransformer tiny(ImageEncoderFactory factory, int imageSize, String stem) {
    ConfigOptions options =
        ConfigOptions.parse(
            "mm1.model.encoder",
            "image-size = "
                + imageSize
                + "\npatch-size = 16\nwidth = 8\nlayers = 2\nheads = 2\nmlp-ratio = 2.0\n"
                + "stem = "
                + stem
                + "\n"
                + ObjectiveTestSupport.objectiveOptions(factory));
    ImageEncoder encoder = factory.create(options, CONTEXT);
    assertTrue(options.unreadKeys().isEmpty(), "unread: " + options.unreadKeys());
    return assertInstanceOf(VisionTransformer.class, encoder);
  }

  private static NDArray pixels(NDManager manager, int batch, int size) {
    return manager.randomNormal(new Shape(batch, 3, size, size));
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 48, 64})
  void outputsOnePatchVectorPerPatchInBothEncoders(int size) {
    for (ImageEncoderFactory factory :
        new ImageEncoderFactory[] {new ClipVitFactory(), new AimVitFactory()}) {
      VisionTransformer vit = tiny(factory, size);
      int side = size / 16;
      assertEquals(size, vit.imageSize());
      assertEquals(new PatchGrid(side, side, 8), vit.outputGrid());
      try (NDManager manager = NDManager.newBaseManager()) {
        Shape input = new Shape(2, 3, size, size);
        vit.initialize(manager, DataType.FLOAT32, input);
        assertEquals(
            new Shape(2, (long) side * side, 8), vit.getOutputShapes(new Shape[] {input})[0]);
        NDArray out =
            vit.encode(new ParameterStore(manager, false), pixels(manager, 2, size), false);
        assertEquals(new Shape(2, (long) side * side, 8), out.getShape());
        // The final LayerNorm (gamma 1, beta 0 at init) gives every patch vector zero mean.
        assertTrue(out.mean(new int[] {2}).abs().max().getFloat() < 1e-4);
      }
    }
  }

  @Test
  void gradientsReachEveryParameter() {
    VisionTransformer vit = tiny(new ClipVitFactory(), 48);
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 48, 48));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray input = pixels(manager, 2, 48);
      // A random projection of the output, so that no parameter's gradient cancels by symmetry
      // (the sum of a LayerNorm output would give beta a constant and gamma a zero gradient).
      NDArray direction = manager.randomNormal(new Shape(2, 9, 8));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = vit.encode(ps, input, true).mul(direction).sum();
        collector.backward(loss);
      }
      int checked = 0;
      for (Pair<String, Parameter> p : vit.getParameters()) {
        NDArray gradient = p.getValue().getArray().getGradient();
        assertTrue(gradient.abs().max().getFloat() > 0, p.getKey() + " got no gradient");
        checked++;
      }
      // conv (2) + positions (1) + 2 blocks x (2 norms x 2 + 4 linears x 2 + 2 linears x 2) + norm
      // (2)
      assertEquals(2 + 1 + 2 * (4 + 8 + 4) + 2, checked);
    }
  }

  @Test
  void aConvolutionalStemGivesTheSameGridAndGradientsReachEachOfItsLayers() {
    for (ImageEncoderFactory factory :
        new ImageEncoderFactory[] {
          new ClipVitFactory(), new AimVitFactory(), new SuperClassVitFactory()
        }) {
      VisionTransformer vit = tiny(factory, 48, "conv");
      // patch 16: four 3 x 3 convolutions of stride 2 (48 -> 24 -> 12 -> 6 -> 3), width 8 at most
      assertArrayEquals(new int[] {8, 8, 8, 8}, vit.config().stemChannels());
      try (NDManager manager = NDManager.newBaseManager()) {
        vit.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 48, 48));
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray direction = manager.randomNormal(new Shape(2, 9, 8));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray out = vit.encode(ps, pixels(manager, 2, 48), true);
          assertEquals(new Shape(2, 9, 8), out.getShape());
          collector.backward(out.mul(direction).sum());
        }
        long scalars = 0;
        int stemParameters = 0;
        for (Pair<String, Parameter> p : vit.getParameters()) {
          NDArray gradient = p.getValue().getArray().getGradient();
          assertTrue(gradient.abs().max().getFloat() > 0, p.getKey() + " got no gradient");
          scalars += p.getValue().getArray().size();
          if (p.getKey().startsWith("01convStem")) {
            stemParameters++;
          }
        }
        // four 3 x 3 convolutions and the 1 x 1 projection, each a weight and a bias
        assertEquals(10, stemParameters);
        // 3x3: 3->8, then 8->8 three times; 1x1: 8->8; each with a bias of 8
        long stem = (9 * 3 * 8 + 8) + 3 * (9 * 8 * 8 + 8) + (8 * 8 + 8);
        assertEquals(
            stem + 9 * 8 + 2 * (4 * 8 + 4 * (8 * 8 + 8) + (8 * 16 + 16 + 16 * 8 + 8)) + 16,
            scalars);
        assertEquals(scalars, vit.config().parameterCount());
      }
    }
  }

  @Test
  void parameterCountMatchesTheFormula() {
    int p = 16;
    int d = 8;
    int h = 16;
    int n = 9;
    int layers = 2;
    long expected =
        (3L * p * p * d + d) // patch convolution
            + (long) n * d // position embeddings
            + layers * (4L * d + 4L * (d * d + d) + (d * h + h + h * d + d)) // blocks
            + 2L * d; // final LayerNorm
    VisionTransformer vit = tiny(new AimVitFactory(), 48);
    assertEquals(expected, vit.config().parameterCount());
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 48, 48));
      long actual = 0;
      for (Pair<String, Parameter> param : vit.getParameters()) {
        actual += param.getValue().getArray().size();
      }
      assertEquals(expected, actual);
    }
  }

  @Test
  void defaultsFromReferenceConfBuildA14x14Grid() {
    com.typesafe.config.Config defaults =
        com.typesafe.config.ConfigFactory.defaultReference()
            .getConfig("mm1-plugin-defaults.encoder");
    for (ImageEncoderFactory factory :
        new ImageEncoderFactory[] {new ClipVitFactory(), new AimVitFactory()}) {
      ConfigOptions options =
          new ConfigOptions("mm1.model.encoder", defaults.getConfig(factory.name()));
      ImageEncoder encoder = factory.create(options, CONTEXT);
      assertTrue(options.unreadKeys().isEmpty(), "unread: " + options.unreadKeys());
      assertEquals(224, encoder.imageSize());
      assertEquals(new PatchGrid(14, 14, 192), encoder.outputGrid());
      assertEquals(new VitConfig(224, 16, 192, 6, 3, 4.0), ((VisionTransformer) encoder).config());
    }
  }

  @Test
  void sameSizeResizeKeepsOutputsIdentical() {
    VisionTransformer vit = tiny(new ClipVitFactory(), 48);
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 48, 48));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray input = pixels(manager, 2, 48);
      NDArray before = vit.encode(ps, input, false);
      VisionTransformer same = vit.withImageSize(48, manager);
      assertNotSame(vit, same);
      NDArray after = same.encode(ps, input, false);
      assertArrayEquals(before.toFloatArray(), after.toFloatArray(), 0f);
    }
  }

  @Test
  void resizeToALargerGridInterpolatesPositionsAndKeepsOtherWeights() {
    VisionTransformer vit = tiny(new ClipVitFactory(), 32); // 2 x 2 patches
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      VisionTransformer big = vit.withImageSize(64, manager); // 4 x 4 patches
      assertEquals(new PatchGrid(4, 4, 8), big.outputGrid());
      float[] small = position(vit).getArray().toFloatArray(); // (4, 8)
      float[] large = position(big).getArray().toFloatArray(); // (16, 8)
      // Half-pixel bilinear weights from 2 to 4 cells per side: rows [1,0] [.75,.25] [.25,.75]
      // [0,1].
      float[][] w = {{1, 0}, {.75f, .25f}, {.25f, .75f}, {0, 1}};
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          for (int c = 0; c < 8; c++) {
            float expected = 0;
            for (int i = 0; i < 2; i++) {
              for (int j = 0; j < 2; j++) {
                expected += w[y][i] * w[x][j] * small[(i * 2 + j) * 8 + c];
              }
            }
            assertEquals(expected, large[(y * 4 + x) * 8 + c], 1e-5, "cell " + y + "," + x);
          }
        }
      }
      // Every other parameter is copied unchanged.
      var source = vit.getParameters();
      var target = big.getParameters();
      for (int i = 0; i < source.size(); i++) {
        if (source.get(i).getValue() != position(vit)) {
          assertArrayEquals(
              source.get(i).getValue().getArray().toFloatArray(),
              target.get(i).getValue().getArray().toFloatArray(),
              0f,
              source.get(i).getKey());
        }
      }
      NDArray out = big.encode(new ParameterStore(manager, false), pixels(manager, 1, 64), false);
      assertEquals(new Shape(1, 16, 8), out.getShape());
    }
  }

  private static Parameter position(VisionTransformer vit) {
    return vit.getDirectParameters().get("positionEmbedding");
  }

  @Test
  void savedParametersLoadIntoAFreshEncoder() throws Exception {
    VisionTransformer vit = tiny(new ClipVitFactory(), 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      vit.saveParameters(new java.io.DataOutputStream(bytes));
      VisionTransformer copy = tiny(new ClipVitFactory(), 32);
      copy.loadParameters(
          manager,
          new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray input = pixels(manager, 1, 32);
      assertArrayEquals(
          vit.encode(ps, input, false).toFloatArray(),
          copy.encode(ps, input, false).toFloatArray(),
          0f);
    }
  }

  @Test
  void resizeRejectsSizesThatAreNotAMultipleOfThePatch() {
    VisionTransformer vit = tiny(new ClipVitFactory(), 32);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> vit.withImageSize(50, null));
    assertEquals(
        "image-size 50 is not a multiple of patch-size 16; use 48 or 64 (3 or 4 patches per side)",
        e.getMessage());
  }

  @Test
  void causalMaskMakesTheFirstPatchIgnoreTheOthers() {
    VisionTransformer vit = tiny(new AimVitFactory(), 32); // 4 patches
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray a = pixels(manager, 1, 32);
      // Change only the bottom-right patch (raster index 3).
      NDArray b = a.duplicate();
      b.set(new ai.djl.ndarray.index.NDIndex(":, :, 16:, 16:"), 5f);
      boolean[] lowerTriangle = new boolean[16];
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j <= i; j++) {
          lowerTriangle[i * 4 + j] = true;
        }
      }
      NDArray causal = manager.create(lowerTriangle, new Shape(4, 4));

      float[] maskedA = vit.encode(ps, a, causal, false).get(0, 0).toFloatArray();
      float[] maskedB = vit.encode(ps, b, causal, false).get(0, 0).toFloatArray();
      assertArrayEquals(maskedA, maskedB, 1e-6f, "patch 0 saw patch 3 through the causal mask");

      float[] fullA = vit.encode(ps, a, false).get(0, 0).toFloatArray();
      float[] fullB = vit.encode(ps, b, false).get(0, 0).toFloatArray();
      float difference = 0;
      for (int i = 0; i < fullA.length; i++) {
        difference = Math.max(difference, Math.abs(fullA[i] - fullB[i]));
      }
      assertTrue(difference > 1e-4, "without a mask patch 0 should see patch 3");

      // An all-true mask is the same as no mask.
      NDArray all = manager.ones(new Shape(1, 4, 4));
      assertArrayEquals(fullA, vit.encode(ps, a, all, false).get(0, 0).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void rejectsPixelsOfTheWrongSize() {
    VisionTransformer vit = tiny(new ClipVitFactory(), 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> vit.encode(new ParameterStore(manager, false), pixels(manager, 1, 48), false));
      assertTrue(e.getMessage().contains("expects pixels (B, 3, 32, 32)"), e.getMessage());
      assertTrue(e.getMessage().contains("withImageSize(48"), e.getMessage());
    }
  }

  @Test
  void interpolationWeightsRowsSumToOne() {
    for (int from = 1; from <= 6; from++) {
      for (int to = 1; to <= 9; to++) {
        float[] w = PositionGridResampler.weights(from, to);
        for (int o = 0; o < to; o++) {
          float sum = 0;
          for (int i = 0; i < from; i++) {
            assertTrue(w[o * from + i] >= 0);
            sum += w[o * from + i];
          }
          assertEquals(1f, sum, 1e-6f);
        }
      }
    }
  }
}
