package org.mm1lab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.config.TrainSettings.LossScaling;
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
import org.mm1lab.toolkit.nn.MixedPrecisionStore;

/**
 * Mixed-precision steps on the stand-in model and the synthetic world's batches: float16 passes
 * with float32 masters, the loss scale divided out again, overflowing steps skipped without a
 * trace, and checkpoints that resume bit for bit, the loss scaler included.
 */
class MixedPrecisionTrainingTest {

  /** 2^40: the first step's gradients overflow float16 (largest 65504) at this scale. */
  private static final double OVERFLOWING_SCALE = 0x1p40;

  @TempDir Path dir;

  /** A fresh stand-in model, optimizer, scaler and pipeline, as a new process would build them. */
  private final class Run implements AutoCloseable {
    final NDManager manager = NDManager.newBaseManager();
    final MultimodalModel model;
    final AdamW adam;
    final LossScaler scaler;
    final TrainingStep step;
    final BatchPipeline pipeline;
    final List<TrainingStep.Result> results = new ArrayList<>();
    HostBatch last;

    Run(PipelineState start, LossScaling scaling) {
      Assembly assembly = new Assembly(MixedPrecisionTrainingTest.class.getClassLoader());
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
      scaler = scaling == null ? null : new LossScaler(scaling);
      step = new TrainingStep(model, adam, manager, 1.0, scaler);
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

    TrainingStep.Result train() {
      last = pipeline.next();
      TrainingStep.Result result = step.run(last, 2e-3);
      results.add(result);
      return result;
    }

    void train(int steps) {
      for (int i = 0; i < steps; i++) {
        train();
      }
    }

    List<Float> losses() {
      return results.stream().map(TrainingStep.Result::loss).toList();
    }

    Map<String, float[]> parameters() {
      Map<String, float[]> all = new LinkedHashMap<>();
      model.getParameters().forEach(p -> all.put(p.getKey(), copy(p.getValue().getArray())));
      return all;
    }

    Map<String, float[]> optimizerState() {
      Map<String, float[]> all = new LinkedHashMap<>();
      adam.state().forEach((name, array) -> all.put(name, copy(array)));
      return all;
    }

    @Override
    public void close() {
      pipeline.close();
      manager.close();
    }
  }

  private static float[] copy(NDArray array) {
    assertEquals(DataType.FLOAT32, array.getDataType(), "master arrays stay float32");
    return array.toFloatArray();
  }

  private static void assertSame(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));
  }

  private static LossScaling scaling(double initial, double backoff, int interval) {
    return new LossScaling(initial, 2.0, backoff, interval);
  }

  @Test
  void aFloat16PassLeavesFiniteFloat32GradientsOnTheFloat32Masters() {
    try (Run run = new Run(null, null)) {
      HostBatch batch = run.pipeline.next();
      MixedPrecisionStore store = new MixedPrecisionStore(run.manager, DataType.FLOAT16);
      try (NDManager pass = run.manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        HostBatch.Inputs inputs = batch.inputs(pass);
        assertTrue(inputs.pixels() != null, "the first batch holds images");
        HostBatch.Inputs half =
            new HostBatch.Inputs(
                inputs.tokens(),
                inputs.attentionMask(),
                inputs.imageSlots(),
                inputs.pixels().toType(DataType.FLOAT16, false),
                inputs.labels(),
                inputs.lossMask());
        NDArray logits = run.model.forward(store, half, true).logits();
        assertEquals(DataType.FLOAT16, logits.getDataType(), "the model computes in float16");
        NDArray loss = NextTokenLoss.compute(logits, inputs.labels(), inputs.lossMask());
        assertEquals(DataType.FLOAT32, loss.getDataType(), "the loss is computed in float32");
        collector.backward(loss);
      } finally {
        store.release();
      }
      for (Pair<String, Parameter> p : run.model.getParameters()) {
        NDArray master = p.getValue().getArray();
        assertEquals(DataType.FLOAT32, master.getDataType(), p.getKey());
        NDArray gradient = master.getGradient();
        assertEquals(DataType.FLOAT32, gradient.getDataType(), p.getKey());
        float[] values = gradient.toFloatArray();
        double squares = 0;
        for (float v : values) {
          assertTrue(Float.isFinite(v), p.getKey() + " has a non-finite gradient");
          squares += (double) v * v;
        }
        assertTrue(squares > 0, p.getKey() + " receives no gradient");
      }
    }
  }

  @Test
  void theLossScaleIsDividedOutOfTheGradientsAgain() {
    double exact;
    try (Run run = new Run(null, null)) {
      exact = run.train().gradientNorm();
    }
    try (Run run = new Run(null, scaling(65536, 0.5, 2000))) {
      TrainingStep.Result result = run.train();
      assertFalse(result.skipped());
      assertEquals(65536, result.lossScale());
      // float16 rounding moves the norm a little; an unscaled norm would be 65536 times larger
      assertEquals(exact, result.gradientNorm(), 0.01 * exact);
    }
  }

  @Test
  void anOverflowingStepIsSkippedWithoutChangingAnythingAndTheNextOneTrains() {
    try (Run run = new Run(null, scaling(1024, 0x1p-30, 2000))) {
      assertFalse(run.train().skipped(), "1024 does not overflow");
      Map<String, float[]> parameters = run.parameters();
      Map<String, float[]> moments = run.optimizerState();
      long updates = run.adam.step();
      assertEquals(1, updates);

      run.scaler.restore(new LossScaler.State(OVERFLOWING_SCALE, 5, 0));
      TrainingStep.Result skipped = run.train();
      assertTrue(skipped.skipped(), "2^40 overflows float16");
      assertFalse(Double.isFinite(skipped.gradientNorm()), "" + skipped.gradientNorm());
      assertEquals(OVERFLOWING_SCALE, skipped.lossScale());
      assertTrue(Float.isFinite(skipped.loss()), "the forward pass itself is fine");
      assertSame(parameters, run.parameters());
      assertSame(moments, run.optimizerState());
      assertEquals(updates, run.adam.step(), "AdamW's step count (bias correction) stays");
      assertEquals(new LossScaler.State(0x1p10, 0, 1), run.scaler.state(), "backed off 2^-30");

      TrainingStep.Result next = run.train();
      assertFalse(next.skipped());
      assertTrue(Double.isFinite(next.gradientNorm()) && next.gradientNorm() > 0);
      assertEquals(2, run.adam.step());
      assertNotEquals(
          parameters.values().iterator().next()[0],
          run.parameters().values().iterator().next()[0],
          "the step after the skip updates the parameters");
      assertEquals(new LossScaler.State(0x1p10, 1, 1), run.scaler.state());
    }
  }

  @Test
  void lossesOfAMixedPrecisionRunTrackTheFloat32Ones() {
    List<Float> exact;
    try (Run run = new Run(null, null)) {
      run.train(12);
      exact = run.losses();
    }
    try (Run run = new Run(null, scaling(65536, 0.5, 2000))) {
      run.train(12);
      List<Float> mixed = run.losses();
      for (int i = 0; i < exact.size(); i++) {
        // the same batches: each step's loss within 2% of float32's
        assertEquals(exact.get(i), mixed.get(i), 0.02 * exact.get(i), "step " + (i + 1));
      }
      assertTrue(run.results.stream().noneMatch(TrainingStep.Result::skipped));
    }
  }

  @Test
  void resumingGivesTheNumbersOfAnUninterruptedRunTheScalerIncluded() throws Exception {
    // skips step 1, then grows the scale every 2 good steps: the scaler's state moves throughout
    LossScaling scaling = scaling(OVERFLOWING_SCALE, 0x1p-30, 2);
    List<Float> straightLosses;
    Map<String, float[]> straightParameters;
    Map<String, float[]> straightMoments;
    LossScaler.State straightScaler;
    try (Run straight = new Run(null, scaling)) {
      straight.train(7);
      straightLosses = straight.losses();
      straightParameters = straight.parameters();
      straightMoments = straight.optimizerState();
      straightScaler = straight.scaler.state();
      assertTrue(straight.results.get(0).skipped());
      assertEquals(new LossScaler.State(0x1p13, 0, 1), straightScaler);
    }
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 2);
    Path saved;
    try (Run first = new Run(null, scaling)) {
      first.train(4);
      assertEquals(new LossScaler.State(0x1p11, 1, 1), first.scaler.state());
      saved = checkpoints.save(4, first.model, first.adam, first.scaler, first.last.stateAfter());
    }
    JsonObject state =
        JsonParser.parseString(
                Files.readString(saved.resolve("state.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    JsonObject lossScale = state.getAsJsonObject("loss-scale");
    assertEquals(2048.0, lossScale.get("scale").getAsDouble());
    assertEquals(1, lossScale.get("good-steps").getAsInt());
    assertEquals(1, lossScale.get("skipped-steps").getAsLong());
    assertEquals(3, state.get("optimizer-step").getAsLong(), "the skipped step made no update");

    Checkpoints.Restored restored = Checkpoints.position(saved);
    try (Run second = new Run(restored.data(), scaling)) {
      assertEquals(
          restored,
          Checkpoints.load(saved, second.model, second.adam, second.scaler, second.manager));
      assertEquals(new LossScaler.State(0x1p11, 1, 1), second.scaler.state());
      second.train(3);
      assertEquals(straightLosses.subList(4, 7), second.losses());
      assertSame(straightParameters, second.parameters());
      assertSame(straightMoments, second.optimizerState());
      assertEquals(straightScaler, second.scaler.state());
    }
  }

  @Test
  void aCheckpointWithoutTheScalersStateIsRefusedForAMixedPrecisionRun() {
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 2);
    Path saved;
    try (Run fp32 = new Run(null, null)) {
      fp32.train(1);
      saved = checkpoints.save(1, fp32.model, fp32.adam, fp32.last.stateAfter());
    }
    try (Run mixed = new Run(null, scaling(65536, 0.5, 2000))) {
      Map<String, float[]> before = mixed.parameters();
      UserException e =
          assertThrows(
              UserException.class,
              () -> Checkpoints.load(saved, mixed.model, mixed.adam, mixed.scaler, mixed.manager));
      assertEquals(
          "checkpoint "
              + saved
              + " cannot be used: state.json has no 'loss-scale', which a run with"
              + " mm1.train.precision = fp16-mixed writes",
          e.getMessage());
      assertSame(before, mixed.parameters());
      assertEquals(new LossScaler.State(65536, 0, 0), mixed.scaler.state());
    }
  }
}
