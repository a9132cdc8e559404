package org.mm1lab.toolkit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProjectedSelfAttention}: a subclass has the parameters, names and initial values of a
 * hand-written block with the same four projections, and a causal grouped-query attention written
 * with the toolkit's functions computes what an op-by-op reference computes from its weights.
 */
class ProjectedSelfAttentionTest {

  private static final int WIDTH = 8;
  private static final int HEADS = 4;
  private static final int KV_HEADS = 2;
  private static final Shape INPUT = new Shape(2, 5, WIDTH);

  @Test
  void theProjectionsAreChildBlocksNamedAndInitialisedInOrder() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(13);
      CausalGroupedAttention shared = new CausalGroupedAttention();
      shared.initialize(m, DataType.FLOAT32, INPUT);
      Engine.getInstance().setRandomSeed(13);
      HandWritten handWritten = new HandWritten();
      handWritten.initialize(m, DataType.FLOAT32, INPUT);

      PairList<String, Parameter> parameters = shared.getParameters();
      assertEquals(
          List.of(
              "01query_weight",
              "01query_bias",
              "02key_weight",
              "02key_bias",
              "03value_weight",
              "03value_bias",
              "04output_weight",
              "04output_bias"),
          parameters.keys());
      assertEquals(handWritten.getParameters().keys(), parameters.keys());
      for (int i = 0; i < parameters.size(); i++) {
        Pair<String, Parameter> own = parameters.get(i);
        NDArray expected = handWritten.getParameters().get(i).getValue().getArray();
        assertEquals(expected.getShape(), own.getValue().getArray().getShape(), own.getKey());
        assertArrayEquals(
            expected.toFloatArray(), own.getValue().getArray().toFloatArray(), 0f, own.getKey());
      }
      assertEquals(
          new Shape(KV_HEADS * WIDTH / HEADS, WIDTH),
          shared.key().getParameters().get("weight").getArray().getShape());
      assertEquals(INPUT, shared.getOutputShapes(new Shape[] {INPUT})[0]);
    }
  }

  @Test
  void attendsLikeTheOpByOpReferenceAndTrainsEveryProjection() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(14);
      CausalGroupedAttention block = new CausalGroupedAttention();
      block.initialize(m, DataType.FLOAT32, INPUT);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray x = m.randomNormal(INPUT);
      NDArray weights = m.randomNormal(INPUT);

      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
        assertEquals(INPUT, y.getShape());
        collector.backward(y.mul(weights).sum());
      }
      for (Pair<String, Parameter> p : block.getParameters()) {
        assertTrue(
            p.getValue().getArray().getGradient().abs().sum().getFloat() > 0,
            p.getKey() + " got no gradient");
      }

      Differentiation.assertSameValuesAndGradients(
          in -> block.forward(ps, new NDList(in.get(0)), true).singletonOrThrow(),
          in -> reference(block, in.get(0)),
          weights,
          2e-6f,
          x);
    }
  }

  /** The block written op by op from its weights: heads sliced out, one head at a time. */
  private static NDArray reference(CausalGroupedAttention block, NDArray x) {
    NDArray q = AttentionHeadsTest.stackHeads(linear(block.query(), x), HEADS);
    NDArray k = AttentionHeadsTest.stackHeads(linear(block.key(), x), KV_HEADS);
    NDArray v = AttentionHeadsTest.stackHeads(linear(block.value(), x), KV_HEADS);
    long n = x.getShape().get(1);
    NDArray scaled = q.div(q.getManager().full(new Shape(), (float) Math.sqrt(WIDTH / HEADS)));
    NDArray bias =
        AttentionMasks.additiveBias(
                ScaledDotProductAttentionTest.lowerTriangle(x.getManager(), (int) n, (int) n))
            .reshape(1, 1, n, n);
    NDArray attended = ScaledDotProductAttentionTest.reference(scaled, k, v, bias);
    return linear(block.output(), AttentionHeadsTest.concatHeads(attended));
  }

  private static NDArray linear(Linear linear, NDArray x) {
    NDArray weight = linear.getParameters().get("weight").getArray();
    NDArray bias = linear.getParameters().get("bias").getArray();
    return x.matMul(weight.transpose()).add(bias);
  }

  /**
   * A causal self-attention with grouped key/value heads, the decoders' kind, written with the
   * toolkit.
   */
  private static final class CausalGroupedAttention extends ProjectedSelfAttention {

    CausalGroupedAttention() {
      super(
          Linear.builder().setUnits(WIDTH).build(),
          Linear.builder().setUnits(KV_HEADS * WIDTH / HEADS).build(),
          Linear.builder().setUnits(KV_HEADS * WIDTH / HEADS).build(),
          Linear.builder().setUnits(WIDTH).build());
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.singletonOrThrow();
      NDArray q = AttentionHeads.split(Blocks.apply(query(), ps, x, training), HEADS);
      NDArray k = AttentionHeads.split(Blocks.apply(key(), ps, x, training), KV_HEADS);
      NDArray v = AttentionHeads.split(Blocks.apply(value(), ps, x, training), KV_HEADS);
      NDArray allowed =
          AttentionMasks.causal(
              x.getManager().ones(new Shape(x.getShape().get(0), x.getShape().get(1))),
              x.getShape().get(1));
      NDArray bias = AttentionMasks.forHeads(AttentionMasks.additiveBias(allowed));
      NDArray attended =
          ScaledDotProductAttention.attend(ScaledDotProductAttention.scaleQueries(q), k, v, bias);
      return new NDList(Blocks.apply(output(), ps, AttentionHeads.merge(attended), training));
    }
  }

  /** The same four projections added and initialised by hand, as a plugin would write them. */
  private static final class HandWritten extends AbstractBlock {

    private final Linear query = addChildBlock("query", Linear.builder().setUnits(WIDTH).build());
    private final Linear key =
        addChildBlock("key", Linear.builder().setUnits(KV_HEADS * WIDTH / HEADS).build());
    private final Linear value =
        addChildBlock("value", Linear.builder().setUnits(KV_HEADS * WIDTH / HEADS).build());
    private final Linear output = addChildBlock("output", Linear.builder().setUnits(WIDTH).build());

    @Override
    protected NDList forwardInternal(
        ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      throw new UnsupportedOperationException("parameters only");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      query.initialize(manager, dataType, inputShapes[0]);
      key.initialize(manager, dataType, inputShapes[0]);
      value.initialize(manager, dataType, inputShapes[0]);
      output.initialize(manager, dataType, inputShapes[0]);
    }
  }
}
