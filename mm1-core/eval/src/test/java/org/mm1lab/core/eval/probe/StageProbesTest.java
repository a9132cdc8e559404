package org.mm1lab.core.eval.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.train.MultimodalModel;

/**
 * Probes of the stand-in encoder (a linear map of each patch's pixels) and connector on the world's
 * scenes: the patch under a shape holds that shape's pixels, so its colour is linearly readable
 * there, well above the colour prior.
 */
class StageProbesTest {

  @TempDir Path dir;

  @Test
  void readsEachTargetFromEachStageAndFreesItsArrays() {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig config =
        assembly.load(RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN), List.of());
    Components components = assembly.assemble(config);
    DataSettings data = new DataSettings(config);
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      MultimodalModel model = new MultimodalModel(components);
      model.initialize(manager, 64);
      StageProbes probes =
          new StageProbes(
              components,
              new ImagePreprocessor(components.encoder().imageSize(), data.mean(), data.std()),
              data.world(),
              manager,
              LinearProbe.standard());
      int arrays = manager.getManagedArrays().size();
      List<StageProbes.Row> rows = probes.run(300, 150, 1);
      assertEquals(arrays, manager.getManagedArrays().size(), "the probes' arrays are freed");

      assertEquals(
          List.of(StageProbes.Target.values()),
          rows.stream().map(StageProbes.Row::target).toList());
      Map<StageProbes.Target, Integer> maxClasses =
          Map.of(
              StageProbes.Target.SHAPE, 8,
              StageProbes.Target.COLOUR, 11,
              StageProbes.Target.SIZE, 2,
              StageProbes.Target.POSITION, 9,
              StageProbes.Target.WORD, 33);
      for (StageProbes.Row row : rows) {
        assertTrue(
            row.classes() >= 2 && row.classes() <= maxClasses.get(row.target()), row.toString());
        assertTrue(row.prior() > 0 && row.prior() < 1, row.toString());
        assertEquals(StageProbes.Reading.values().length, row.accuracy().size());
        row.accuracy().values().forEach(a -> assertTrue(a >= 0 && a <= 1, row.toString()));
      }
      StageProbes.Row colour = rows.get(1);
      double atTheShape = colour.accuracy().get(StageProbes.Reading.ENCODER_AT);
      assertTrue(atTheShape > colour.prior() + 0.15, colour.toString());

      // the same stream gives the same scenes and the same accuracies
      assertEquals(rows, probes.run(300, 150, 1));
      assertThrows(IllegalArgumentException.class, () -> probes.run(0, 10, 1));
    }
  }
}
