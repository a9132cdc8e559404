package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mm1lab.plugins.decoders.DecoderFixtures.TINY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.TINY_MOE;
import static org.mm1lab.plugins.decoders.DecoderFixtures.VOCABULARY;
import static org.mm1lab.plugins.decoders.DecoderFixtures.context;
import static org.mm1lab.plugins.decoders.DecoderFixtures.maxDiff;
import static org.mm1lab.plugins.decoders.DecoderFixtures.moeDecoder;
import static org.mm1lab.plugins.decoders.DecoderFixtures.moeOptions;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.InvalidOptionException;
import org.mm1lab.api.KeyValueCache;
import org.mm1lab.core.eval.GreedyGenerator;
import org.mm1lab.toolkit.options.ConfigOptions;

class MoeDecoderTest {

  @BeforeEach
  void seed() {
    Engine.getInstance().setRandomSeed(1234);
  }

  @Test
  void defaultsAreMm1sAndEveryDeclaredKeyIsRead() {
    ConfigOptions options = moeOptions("");
    MoeDecoder d = (MoeDecoder) new MoeDecoderFactory().create(options, context());
    assertEquals(options.keys(), options.readKeys());
    MoeDecoderSpec spec = d.moeSpec();
    assertEquals(8, spec.experts());
    assertEquals(2, spec.topK());
    assertEquals(2, spec.every());
    assertEquals(0.01, spec.loadBalanceCoefficient());
    assertEquals(0.001, spec.routerZCoefficient());
    assertEquals(3, spec.mixtureLayers());
    assertEquals("", d.checkpoint());
  }

  @Test
  void badOptionsSayWhatToChange() {
    InvalidOptionException topK =
        assertThrows(
            InvalidOptionException.class,
            () -> new MoeDecoderFactory().create(moeOptions("experts = 4\ntop-k = 5"), context()));
    assertEquals("top-k", topK.key());
    assertTrue(topK.getMessage().contains("at most 4"), topK.getMessage());
    InvalidOptionException every =
        assertThrows(
            InvalidOptionException.class,
            () -> new MoeDecoderFactory().create(moeOptions("layers = 2\nevery = 3"), context()));
    assertEquals("every", every.key());
    assertTrue(every.getMessage().contains("at most 2"), every.getMessage());
    assertEquals(
        "load-balance-coefficient",
        assertThrows(
                InvalidOptionException.class,
                () ->
                    new MoeDecoderFactory()
                        .create(moeOptions("load-balance-coefficient = -1"), context()))
            .key());
    // the dense options are validated as for dense
    assertEquals(
        "heads",
        assertThrows(
                InvalidOptionException.class,
                () -> new MoeDecoderFactory().create(moeOptions("width = 100"), context()))
            .key());
  }

  @Test
  void outputsLossesAndLoadAndProcessesKRowsPerRealToken() {
    try (NDManager m = NDManager.newBaseManager()) {
      // E = 8, k = 2, 4 layers with a mixture in layers 2 and 4
      MoeDecoder d = moeDecoder(m, TINY + "layers = 4\nexperts = 8\ntop-k = 2\nevery = 2", 2, 6);
      assertEquals(2, d.mixtures().size());
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 6), DataType.INT64);
      NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1}});
      long before = d.expertRowsProcessed();
      DecoderOutput out = d.decode(ps, DecoderInput.text(tokens, mask), null, false);
      long real = 10;
      assertEquals(2 * real * 2, d.expertRowsProcessed() - before, "k * real tokens * layers");
      assertEquals(new Shape(2, 6, VOCABULARY), out.logits().getShape());
      assertEquals(Set.of("load-balance", "router-z"), out.auxiliaryLosses().keySet());
      NDArray load = out.statistics().get("expert-load");
      assertEquals(new Shape(8), load.getShape());
      assertEquals(1f, load.sum().getFloat(), 1e-5f);
      // a load fraction is a multiple of 1 / (k * real) in each layer, averaged over 2 layers
      for (float f : load.toFloatArray()) {
        float units = f * 2 * real * 2;
        assertEquals(Math.round(units), units, 1e-3f);
      }
      float balance = out.auxiliaryLosses().get("load-balance").getFloat();
      assertTrue(balance > 0.01f * 0.5f && balance < 0.01f * 8f, "E sum f P lies in (0, E]");
      assertTrue(out.auxiliaryLosses().get("router-z").getFloat() > 0f);
    }
  }

  @Test
  void auxiliaryLossesAreMultipliedByTheirCoefficients() {
    float[] lossesA = losses("");
    float[] lossesB = losses("load-balance-coefficient = 0.5\nrouter-z-coefficient = 0.25");
    assertEquals(lossesA[0] / 0.01f, lossesB[0] / 0.5f, 1e-4f);
    assertEquals(lossesA[1] / 0.001f, lossesB[1] / 0.25f, 1e-4f);
  }

  private float[] losses(String extra) {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager m = NDManager.newBaseManager()) {
      MoeDecoder d = moeDecoder(m, TINY_MOE + extra, 1, 5);
      NDArray tokens = m.create(new long[][] {{1, 2, 3, 4, 5}});
      DecoderOutput out =
          d.decode(
              new ParameterStore(m, false),
              DecoderInput.text(tokens, tokens.onesLike()),
              null,
              false);
      return new float[] {
        out.auxiliaryLosses().get("load-balance").getFloat(),
        out.auxiliaryLosses().get("router-z").getFloat()
      };
    }
  }

  @Test
  void cachedIncrementalDecodingEqualsFullPass() {
    try (NDManager m = NDManager.newBaseManager()) {
      MoeDecoder d = moeDecoder(m, TINY_MOE, 2, 7);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(2, 7), DataType.INT64);
      NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}});
      NDArray full = d.decode(ps, DecoderInput.text(tokens, mask), null, false).logits();
      try (KeyValueCache cache = d.newCache(m, 2)) {
        NDList pieces = new NDList();
        pieces.add(
            d.decode(ps, DecoderInput.text(tokens.get(":, :3"), mask.get(":, :3")), cache, false)
                .logits());
        for (int i = 3; i < 7; i++) {
          String column = ":, " + i + ":" + (i + 1);
          pieces.add(
              d.decode(ps, DecoderInput.text(tokens.get(column), mask.get(column)), cache, false)
                  .logits());
        }
        NDArray incremental = NDArrays.concat(pieces, 1);
        assertTrue(maxDiff(full.get("0"), incremental.get("0")) < 1e-4f);
        assertTrue(maxDiff(full.get("1, 2:"), incremental.get("1, 2:")) < 1e-4f);
      }
      // and greedy generation with the cache runs over it
      NDArray generated =
          new GreedyGenerator(d, ps).generate(DecoderInput.text(tokens, mask), 3, -1);
      assertEquals(new Shape(2, 3), generated.getShape());
    }
  }

  @Test
  void gradientsReachTheRouterEveryExpertAndEveryOtherParameter() {
    try (NDManager m = NDManager.newBaseManager()) {
      MoeDecoder d = moeDecoder(m, TINY_MOE + "tie-embeddings = false", 4, 8);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray tokens = m.randomInteger(0, VOCABULARY, new Shape(4, 8), DataType.INT64);
      NDArray mask = m.ones(new Shape(4, 8), DataType.INT64);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        DecoderOutput out = d.decode(ps, DecoderInput.text(tokens, mask), null, true);
        NDArray loss = out.logits().mul(m.randomNormal(out.logits().getShape())).sum();
        collector.backward(loss.add(out.auxiliaryLosses().get("load-balance")));
      }
      for (Pair<String, Parameter> p : d.getParameters()) {
        NDArray gradient = p.getValue().getArray().getGradient();
        assertTrue(gradient.abs().sum().getFloat() > 0f, "no gradient reaches " + p.getKey());
      }
    }
  }

  @Test
  void parameterCountEqualsTheFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      // V = 11, D = 16, 2 layers (both mixtures), E = 4, F = 24
      long denseLayer = 2 * 16 + 2 * 16 * 16 + 2 * 16 * (2 * 4) + 3 * 16 * 24;
      long mixtureLayer = denseLayer + 3 * 3 * 16 * 24 + 16 * 4;
      MoeDecoder d = moeDecoder(m, TINY_MOE, 1, 4);
      long count = 0;
      for (Pair<String, Parameter> p : d.getParameters()) {
        count += p.getValue().getArray().size();
      }
      assertEquals(11 * 16 + 2 * mixtureLayer + 16, count);
      assertEquals(count, d.moeSpec().parameterCount());
      MoeDecoder every2 = moeDecoder(m, TINY + "experts = 4\nevery = 2", 1, 4);
      assertEquals(11 * 16 + denseLayer + mixtureLayer + 16, every2.moeSpec().parameterCount());
      long counted = 0;
      for (Pair<String, Parameter> p : every2.getParameters()) {
        counted += p.getValue().getArray().size();
      }
      assertEquals(counted, every2.moeSpec().parameterCount());
    }
  }

  /**
   * A tiny MoE (layer 2 of 2 a mixture of 4 experts, top-2) learns a toy task in 100 Adam steps:
   * every sequence counts upwards modulo the vocabulary from a random start, so each next token is
   * determined by the current one. The auxiliary losses are part of the objective.
   */
  @Test
  void aTinyMixtureLearnsAToyTask() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager m = NDManager.newBaseManager()) {
      MoeDecoder d = moeDecoder(m, TINY + "experts = 4\ntop-k = 2\nevery = 2", 8, 6);
      ParameterStore ps = new ParameterStore(m, false);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build();
      NDArray steps = m.arange(0, 6, 1, DataType.INT64).reshape(1, 6);
      float first = 0;
      float last = 0;
      for (int step = 0; step < 100; step++) {
        try (NDManager scope = m.newSubManager()) {
          NDArray start = scope.randomInteger(0, VOCABULARY, new Shape(8, 1), DataType.INT64);
          NDArray tokens = start.add(steps).mod(VOCABULARY);
          NDArray mask = scope.ones(new Shape(8, 6), DataType.INT64);
          float value;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            DecoderOutput out = d.decode(ps, DecoderInput.text(tokens, mask), null, true);
            NDArray logProbabilities = out.logits().get(":, :-1").logSoftmax(-1);
            NDArray target = tokens.get(":, 1:").oneHot(VOCABULARY);
            NDArray loss = logProbabilities.mul(target).sum(new int[] {-1}).mean().neg();
            value = loss.getFloat();
            NDArray total = loss;
            for (NDArray aux : out.auxiliaryLosses().values()) {
              total = total.add(aux);
            }
            collector.backward(total);
          }
          for (Pair<String, Parameter> p : d.getParameters()) {
            NDArray weight = p.getValue().getArray();
            adam.update(p.getValue().getId(), weight, weight.getGradient());
          }
          if (step < 10) {
            first += value / 10;
          }
          if (step >= 90) {
            last += value / 10;
          }
        }
      }
      System.out.printf("MoE toy task: loss %.3f -> %.3f%n", first, last);
      assertTrue(last < 0.25f * first, "loss " + first + " -> " + last);
    }
  }
}
