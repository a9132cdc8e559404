package org.mm1lab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

/**
 * The step on real data: the stand-in model learns the synthetic world's text, and a step reports
 * the loss and gradient norm of a plain backward pass.
 */
class TrainingStepTest {

  @TempDir Path dir;

  private final Assembly assembly = new Assembly(getClass().getClassLoader());

  @Test
  void lossFallsOnTheSyntheticWorld() {
    Components components = components();
    Engine.getInstance().setRandomSeed(7);
    List<Float> losses = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      MultimodalModel model = new MultimodalModel(components);
      model.initialize(manager, 64);
      AdamW adam = new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, 0.01);
      TrainingStep step = new TrainingStep(model, adam, manager, 1.0);
      try (BatchPipeline pipeline =
          new BatchPipeline(pipelineConfig(components), PipelineState.start("0"))) {
        for (int i = 0; i < 80; i++) {
          losses.add(step.run(pipeline.next(), 3e-3).loss());
        }
      }
    }
    double first =
        losses.subList(0, 10).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    double last =
        losses.subList(70, 80).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    assertTrue(first > Math.log(200) * 0.8, "starts near chance: " + first);
    // The stand-in decoder sees no context (a bag of embeddings), so it can only learn the world's
    // token frequencies: a clear fall from chance, not more. Seen here: 5.53 -> 4.28.
    assertTrue(last < 0.85 * first, "loss falls: first " + first + ", last " + last);
  }

  @Test
  void reportsTheLossAndGlobalGradientNormOfAPlainBackwardPass() {
    Components components = components();
    HostBatch batch;
    try (BatchPipeline pipeline =
        new BatchPipeline(pipelineConfig(components), PipelineState.start("0"))) {
      batch = pipeline.next();
    }
    // by hand: every position's logits, the masked mean loss, sqrt of the sum of squared gradients
    double expectedNorm;
    float expectedLoss;
    Engine.getInstance().setRandomSeed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      MultimodalModel model = new MultimodalModel(components);
      model.initialize(manager, 64);
      ParameterStore store = new ParameterStore(manager, false);
      HostBatch.Inputs inputs = batch.inputs(manager);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss =
            NextTokenLoss.compute(
                model.forward(store, inputs, true).logits(), inputs.labels(), inputs.lossMask());
        expectedLoss = loss.getFloat();
        collector.backward(loss);
      }
      double squares = 0;
      for (Pair<String, Parameter> p : model.getParameters()) {
        for (float g : p.getValue().getArray().getGradient().toFloatArray()) {
          squares += (double) g * g;
        }
      }
      expectedNorm = Math.sqrt(squares);
    }
    Engine.getInstance().setRandomSeed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      // the same seed, fresh blocks: the same initial parameters
      MultimodalModel model = new MultimodalModel(components());
      model.initialize(manager, 64);
      TrainingStep step =
          new TrainingStep(
              model, new AdamW(manager.newSubManager(), 0.9, 0.95, 1e-8, 0.01), manager, 0);
      // learning rate 0: the parameters stay, so every step below must see the same gradients
      TrainingStep.Result result = step.run(batch, 0);
      assertEquals(expectedLoss, result.loss(), 1e-5f);
      assertTrue(expectedNorm > 0, "the batch has gradients");
      assertEquals(expectedNorm, result.gradientNorm(), 1e-4 * expectedNorm);

      // the next step starts from zero gradients, not from the last step's
      assertEquals(expectedNorm, step.run(batch, 0).gradientNorm(), 1e-4 * expectedNorm);

      // a step that stops after its backward pass, before the update, leaves gradients behind;
      // the step after it must not add to them
      step.recordPhases(
          (phase, nanos) -> {
            if (phase == TrainingStep.Phase.BACKWARD) {
              throw new IllegalStateException("stopped after the backward pass");
            }
          });
      assertThrows(IllegalStateException.class, () -> step.run(batch, 0));
      step.recordPhases(null);
      assertEquals(expectedNorm, step.run(batch, 0).gradientNorm(), 1e-4 * expectedNorm);
    }
  }

  private Components components() {
    return assembly.assemble(config());
  }

  private RunConfig config() {
    return assembly.load(
        RunFiles.write(dir, "run.conf", RunFiles.STAND_IN_RUN),
        List.of("mm1.data.mix.order=[captioned, text, vecap]"));
  }

  /** The synthetic world's batches for the stand-in run, 8 rows of 64 positions. */
  private PipelineConfig pipelineConfig(Components components) {
    DataSettings data = new DataSettings(config());
    WorldTokenizer tokenizer = new WorldTokenizer();
    return new PipelineConfig(
        DataSources.open(data),
        components.mixer(),
        new SequenceBuilder(tokenizer, components.connector().tokens(), 64, new SequenceStats()),
        tokenizer,
        new ImagePreprocessor(components.encoder().imageSize(), data.mean(), data.std()),
        8,
        false,
        2,
        2,
        data.maxBadFraction());
  }
}
