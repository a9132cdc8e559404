package org.mm1lab.plugins.decoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mixture block alone, against plain-Java arithmetic. */
class MixtureOfExpertsTest {

  @BeforeEach
  void seed() {
    Engine.getInstance().setRandomSeed(42);
  }

  private static AttentionContext contextFor(NDArray mask) {
    return AttentionContext.feedForwardOnly(mask.toType(DataType.FLOAT32, false));
  }

  /** Softmax of {@code row}. */
  private static double[] softmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] out = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = Math.exp(row[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < row.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  @Test
  void auxiliaryLossesAndLoadEqualHandComputedValuesIgnoringPadding() {
    try (NDManager m = NDManager.newBaseManager()) {
      MixtureOfExperts moe = new MixtureOfExperts(2, 3, 3, 2, 0.02f);
      moe.initialize(m, DataType.FLOAT32, new Shape(1, 4, 2));
      // router rows: expert 0 reads channel 0, expert 1 channel 1, expert 2 half of each
      float[][] router = {{1f, 0f}, {0f, 1f}, {0.5f, 0.5f}};
      moe.router().getParameters().get("weight").getArray().set(new float[] {1, 0, 0, 1, .5f, .5f});
      float[][] tokens = {{1f, 0f}, {0f, 1f}, {9f, -9f}, {2f, -1f}}; // token 2 is padding
      NDArray x = m.create(new float[] {1, 0, 0, 1, 9, -9, 2, -1}, new Shape(1, 4, 2));
      NDArray mask = m.create(new float[] {1, 1, 0, 1}, new Shape(1, 4));
      AttentionContext context = contextFor(mask);
      moe.apply(new ParameterStore(m, false), x, context, false);
      RouterStatistics stats = context.routing().get(0);

      int[] real = {0, 1, 3};
      double[] meanP = new double[3];
      double[] assignments = new double[3];
      double z = 0;
      for (int t : real) {
        double[] logits = new double[3];
        for (int e = 0; e < 3; e++) {
          logits[e] = router[e][0] * tokens[t][0] + router[e][1] * tokens[t][1];
        }
        double[] p = softmax(logits);
        double lse = Math.log(Math.exp(logits[0]) + Math.exp(logits[1]) + Math.exp(logits[2]));
        z += lse * lse / real.length;
        int first = 0;
        for (int e = 1; e < 3; e++) {
          first = p[e] > p[first] ? e : first;
        }
        int second = first == 0 ? 1 : 0;
        for (int e = 0; e < 3; e++) {
          second = e != first && p[e] > p[second] ? e : second;
        }
        assignments[first]++;
        assignments[second]++;
        for (int e = 0; e < 3; e++) {
          meanP[e] += p[e] / real.length;
        }
      }
      // top-2 of (1, 0, .5), (0, 1, .5), (2, -1, .5): experts {0, 2}, {1, 2}, {0, 2}
      assertArrayEquals(new double[] {2, 1, 3}, assignments);
      double balance = 0;
      float[] load = new float[3];
      for (int e = 0; e < 3; e++) {
        load[e] = (float) (assignments[e] / 6);
        balance += 3 * load[e] * meanP[e];
      }
      assertArrayEquals(load, stats.load().toFloatArray(), 1e-6f);
      assertEquals(balance, stats.loadBalance().getFloat(), 1e-5);
      assertEquals(z, stats.routerZ().getFloat(), 1e-5);
      assertEquals(6, moe.expertRowsProcessed(), "k = 2 rows for each of 3 real tokens");
    }
  }

  @Test
  void eachTokenGetsExactlyItsTopKExpertsWithRenormalisedGates() {
    try (NDManager m = NDManager.newBaseManager()) {
      int d = 6;
      int experts = 8;
      MixtureOfExperts moe = new MixtureOfExperts(d, 5, experts, 2, 0.5f);
      moe.initialize(m, DataType.FLOAT32, new Shape(2, 5, d));
      // a larger router scale spreads the probabilities so that the top 2 are clear-cut
      NDArray w = moe.router().getParameters().get("weight").getArray();
      w.set(m.randomNormal(new Shape(experts, d)).toFloatArray());
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomNormal(new Shape(2, 5, d));
      NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1}, new Shape(2, 5));
      NDArray out = moe.apply(ps, x, contextFor(mask), false);
      assertEquals(new Shape(2, 5, d), out.getShape());
      assertEquals(2L * 8, moe.expertRowsProcessed(), "k * real tokens, not E * tokens");

      // dense reference: every expert on every token, combined with top-2 renormalised gates
      NDArray flat = x.reshape(10, d);
      NDArray probabilities = flat.matMul(w.transpose()).softmax(-1);
      float[] p = probabilities.toFloatArray();
      float[] mk = mask.toFloatArray();
      float[][] expertOut = new float[experts][];
      for (int e = 0; e < experts; e++) {
        expertOut[e] = moe.experts().get(e).apply(ps, flat, false).toFloatArray();
      }
      float[] expected = new float[10 * d];
      for (int t = 0; t < 10; t++) {
        if (mk[t] == 0) {
          continue; // padding: zero output
        }
        int first = -1;
        int second = -1;
        for (int e = 0; e < experts; e++) {
          float v = p[t * experts + e];
          if (first < 0 || v > p[t * experts + first]) {
            second = first;
            first = e;
          } else if (second < 0 || v > p[t * experts + second]) {
            second = e;
          }
        }
        float pf = p[t * experts + first];
        float pz = p[t * experts + second];
        for (int c = 0; c < d; c++) {
          expected[t * d + c] =
              (pf * expertOut[first][t * d + c] + pz * expertOut[second][t * d + c]) / (pf + pz);
        }
      }
      assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
    }
  }
}
