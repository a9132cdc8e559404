package org.mm1lab.core.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.api.VLConnectorFactory;
import org.mm1lab.core.UserException;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.Tokenizer;
import org.mm1lab.core.testplugin.RunFiles;

class AssemblyTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  private RunConfig load(String text, String... overrides) {
    return assembly.load(RunFiles.write(dir, "run.conf", text), List.of(overrides));
  }

  @Test
  void guiceBindsEveryFactoryByName() {
    Injector injector = assembly.injector(load(RunFiles.STAND_IN_RUN));
    Map<String, VLConnectorFactory> connectors =
        injector.getInstance(Key.get(new TypeLiteral<Map<String, VLConnectorFactory>>() {}));
    assertEquals(List.of("stand-in-connector"), List.copyOf(connectors.keySet()));
  }

  @Test
  void assemblesTheSelectedComponentsWithTheirOptions() {
    Components components =
        assembly.assemble(
            load(
                RunFiles.STAND_IN_RUN, "mm1.model.encoder.width=12", "mm1.model.decoder.width=20"));
    assertEquals(new PatchGrid(4, 4, 12), components.encoder().outputGrid());
    assertEquals(16, components.connector().tokens());
    assertEquals(20, components.connector().outputWidth());
    assertEquals(20, components.decoder().width());
    assertEquals("captioned", components.mixer().nextSource());
    assertEquals("text", components.mixer().nextSource());
  }

  @Test
  void sizesThatDoNotFitFailWithOneLineSayingWhatToChange() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.model.encoder.image-size=48");
    UserException e = assertThrows(UserException.class, () -> assembly.assemble(config));
    assertEquals(1, e.problems().size());
    String line = e.problems().get(0);
    assertTrue(
        line.matches(
            "mm1\\.model\\.connector\\.tokens \\(reference\\.conf in .*test-classes:13\\): 16 tokens"
                + " do not match the encoder's 6x6 patches of 16 features; set tokens = 36"),
        line);
  }

  @Test
  void badComponentValueNamesPathOriginAndFix() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.model.encoder.image-size=30");
    UserException e = assertThrows(UserException.class, () -> assembly.assemble(config));
    assertEquals(
        List.of(
            "mm1.model.encoder.image-size (--set mm1.model.encoder.image-size=30): 30 is not a"
                + " multiple of patch-size 8; use 24 or 32"),
        e.problems());
  }

  @Test
  void imageTokensMustLeaveRoomForText() {
    RunConfig config = load(RunFiles.STAND_IN_RUN, "mm1.train.seq-len=16");
    UserException e = assertThrows(UserException.class, () -> assembly.assemble(config));
    assertEquals(1, e.problems().size());
    assertTrue(
        e.problems()
            .get(0)
            .endsWith(
                "16 image tokens leave no room for text in mm1.train.seq-len = 16 (--set"
                    + " mm1.train.seq-len=16); raise seq-len above 16 or use fewer tokens"),
        e.problems().get(0));
  }

  @Test
  void assembledComponentsRunOnTheEngineAndImageTokensReachTheLogits() {
    Components components = assembly.assemble(load(RunFiles.STAND_IN_RUN));
    int vocabulary = new org.mm1lab.core.data.WorldTokenizer().vocabularySize();
    try (NDManager manager = NDManager.newBaseManager()) {
      components.encoder().initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      components.connector().initialize(manager, DataType.FLOAT32, new Shape(1, 16, 16));
      components.decoder().initialize(manager, DataType.FLOAT32, new Shape(1, 20));
      ParameterStore ps = new ParameterStore(manager, false);

      NDArray pixels = manager.randomNormal(new Shape(2, 3, 32, 32));
      NDArray features = components.encoder().encode(ps, pixels, false);
      assertEquals(new Shape(2, 16, 16), features.getShape());
      NDArray imageTokens = components.connector().connect(ps, features, false);
      assertEquals(new Shape(2, 16, 24), imageTokens.getShape());

      // Two rows of 20 positions: 2 text tokens, 16 image slots, 2 text tokens.
      int[] row = new int[20];
      int[] slots = new int[20];
      for (int i = 0; i < 20; i++) {
        boolean image = i >= 2 && i < 18;
        row[i] = image ? 3 : 10 + i;
        slots[i] = image ? 1 : 0;
      }
      NDArray tokens = manager.create(concat(row, row), new Shape(2, 20));
      NDArray mask = manager.ones(new Shape(2, 20), DataType.INT32);
      NDArray slotMask = manager.create(concat(slots, slots), new Shape(2, 20));
      NDArray logits =
          components
              .decoder()
              .decode(ps, new DecoderInput(tokens, mask, slotMask, imageTokens), null, false)
              .logits();
      assertEquals(new Shape(2, 20, vocabulary), logits.getShape());

      // Rows share their text but not their image: logits differ exactly at the image slots.
      NDArray differs = logits.get(0).sub(logits.get(1)).abs().sum(new int[] {1}).gt(1e-6f);
      boolean[] expected = new boolean[20];
      for (int i = 2; i < 18; i++) {
        expected[i] = true;
      }
      assertArrayEquals(expected, differs.toBooleanArray());
      assertFalse(logits.isNaN().any().getBoolean());
    }
  }

  @Test
  void tokenizerIsBoundForTheRun() {
    Injector injector = assembly.injector(load(RunFiles.STAND_IN_RUN));
    assertTrue(injector.getInstance(Tokenizer.class).vocabularySize() > 100);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
