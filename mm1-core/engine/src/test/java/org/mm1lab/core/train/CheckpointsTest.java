package org.mm1lab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.WorldTokenizer;
import org.mm1lab.core.pipeline.BatchPipeline;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.core.pipeline.ImagePreprocessor;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.core.pipeline.SequenceBuilder;
import org.mm1lab.core.pipeline.SequenceStats;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.core.testplugin.RunFiles;

class CheckpointsTest {

  @TempDir Path dir;

  /** A fresh stand-in model, optimizer and pipeline, as a new process would build them. */
  private final class Run implements AutoCloseable {
    final NDManager manager = NDManager.newBaseManager();
    final MultimodalModel model;
    final AdamW adam;
    final TrainingStep step;
    final BatchPipeline pipeline;
    final List<Float> losses = new ArrayList<>();
    HostBatch last;

    Run(PipelineState start) {
      Assembly assembly = new Assembly(CheckpointsTest.class.getClassLoader());
      RunConfig config =
          assembly.load(
              RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN),
              List.of("mm1.data.mix.order=[captioned, text, interleaved]"));
      Components components = assembly.assemble(config);
      DataSettings data = new DataSettings(config);
      WorldTokenizer tokenizer = new WorldTokenizer();
      Engine.getInstance().setRandomSeed(11);
      model = new MultimodalModel(components);
      model.initialize(manager, 64);
      adam = new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, 0.01);
      step = new TrainingStep(model, adam, manager, 1.0);
      pipeline =
          new BatchPipeline(
              new PipelineConfig(
                  DataSources.open(data),
                  components.mixer(),
                  new SequenceBuilder(tokenizer, 16, 64, new SequenceStats()),
                  tokenizer,
                  new ImagePreprocessor(32, data.mean(), data.std()),
                  4,
                  false,
                  2,
                  2,
                  0.01),
              start == null ? PipelineState.start("0") : start);
    }

    void train(int steps) {
      for (int i = 0; i < steps; i++) {
        last = pipeline.next();
        losses.add(step.run(last, 2e-3).loss());
      }
    }

    float[] parameters() {
      List<Float> all = new ArrayList<>();
      model
          .getParameters()
          .forEach(
              p -> {
                for (float f : p.getValue().getArray().toFloatArray()) {
                  all.add(f);
                }
              });
      float[] out = new float[all.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = all.get(i);
      }
      return out;
    }

    @Override
    public void close() {
      pipeline.close();
      manager.close();
    }
  }

  @Test
  void resumingFromACheckpointGivesTheSameNumbersAsAnUninterruptedRun() {
    List<Float> straightLosses;
    float[] straightParameters;
    try (Run straight = new Run(null)) {
      straight.train(6);
      straightLosses = straight.losses;
      straightParameters = straight.parameters();
    }
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 2);
    Path saved;
    try (Run first = new Run(null)) {
      first.train(3);
      saved = checkpoints.save(3, first.model, first.adam, first.last.stateAfter());
      assertEquals(straightLosses.subList(0, 3), first.losses);
    }
    Checkpoints.Restored restored = Checkpoints.position(saved);
    assertEquals(3, restored.step());
    try (Run second = new Run(restored.data())) {
      assertEquals(restored, Checkpoints.load(saved, second.model, second.adam, second.manager));
      second.train(3);
      assertEquals(straightLosses.subList(3, 6), second.losses);
      assertArrayEquals(straightParameters, second.parameters());
    }
  }

  @Test
  void aCorruptCheckpointIsRefusedAndTheModelIsUnchanged() throws Exception {
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 3);
    try (Run run = new Run(null)) {
      run.train(1);
      Path saved = checkpoints.save(1, run.model, run.adam, run.last.stateAfter());
      Path model = saved.resolve("model.safetensors");
      byte[] bytes = Files.readAllBytes(model);
      bytes[bytes.length - 3] ^= 0x55;
      Files.write(model, bytes);
      float[] before = run.parameters();
      UserException e =
          assertThrows(
              UserException.class, () -> Checkpoints.load(saved, run.model, run.adam, run.manager));
      assertEquals(
          "checkpoint " + saved + " cannot be used: model.safetensors does not match its checksum",
          e.getMessage());
      assertArrayEquals(before, run.parameters());

      Files.delete(saved.resolve("state.json"));
      e =
          assertThrows(
              UserException.class, () -> Checkpoints.load(saved, run.model, run.adam, run.manager));
      assertTrue(e.getMessage().contains("has no state.json"), e.getMessage());
    }
  }

  @Test
  void onlyTheNewestCheckpointsAreKeptAndNoTemporaryIsLeft() throws Exception {
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 2);
    try (Run run = new Run(null)) {
      for (int step = 1; step <= 3; step++) {
        run.train(1);
        checkpoints.save(step, run.model, run.adam, run.last.stateAfter());
      }
    }
    try (var entries = Files.list(dir.resolve("checkpoints"))) {
      assertEquals(
          List.of("step-00000002", "step-00000003"),
          entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(dir.resolve("checkpoints/step-00000003"), checkpoints.latest().orElseThrow());
  }
}
