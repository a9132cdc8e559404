package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mm1lab.toolkit.arrays.Precision;
import org.mm1lab.toolkit.arrays.Scalars;
import org.mm1lab.toolkit.nn.Blocks;

/**
 * A sparse mixture of SwiGLU experts with top-k routing, replacing the feed-forward of some layers
 * of a {@link MoeDecoder}.
 *
 * <p>Routing. A bias-free router {@code D -> E} scores every real token; the gate weights are the
 * softmax probabilities of the {@code k} highest-scoring experts, renormalised to sum to one over
 * those {@code k}. The output of token {@code t} is {@code sum_j gate_tj * expert_{e_tj}(x_t)}.
 * Padding positions are not routed at all: their output is zero and they count in no statistic.
 *
 * <p>Sparsity. Tokens are dispatched, not masked: the {@code k} assignments of every real token are
 * grouped by expert (index lists built from the top-k indices), each expert runs on the rows
 * gathered for it only, and the weighted results are gathered back into token order and summed over
 * the {@code k} assignments. Every step is a gather, so gradients reach the experts, the gate
 * weights (hence the router) and the inputs. Each forward processes exactly {@code k * R} expert
 * rows for {@code R} real tokens, whatever {@code E}; {@link #expertRowsProcessed()} counts them.
 *
 * <p>Statistics (per call, recorded in the {@link AttentionContext}): with {@code f_i} the fraction
 * of the {@code k * R} assignments that went to expert {@code i} and {@code P_i} the mean router
 * probability of expert {@code i} over the real tokens, the Switch-Transformer load-balance loss
 * {@code E * sum_i f_i P_i} (1 for perfectly uniform routing; only {@code P} carries gradient), the
 * router z-loss {@code mean_t logsumexp(logits_t)^2}, and the load {@code f}.
 *
 * <p>Shape contract: {@code (B, L, D)} in and out. Router arithmetic is float32.
 */
final class MixtureOfExperts extends FeedForwardBlock {

  private final int width;
  private final int topK;
  private final Linear router;
  private final List<SwiGluFeedForward> experts = new ArrayList<>();
  private final AtomicLong expertRows = new AtomicLong();

  /**
   * @param width the model width {@code D}
   * @param hidden each expert's SwiGLU hidden width {@code F}
   * @param experts the number of experts {@code E}
   * @param topK experts per token {@code k <= E}
   * @param outputStd standard deviation of each expert's initial output projection
   */
  MixtureOfExperts(int width, int hidden, int experts, int topK, float outputStd) {
    this.width = width;
    this.topK = topK;
    router = addChildBlock("router", DenseDecoder.projection(experts, DenseDecoder.INIT_STD));
    for (int e = 0; e < experts; e++) {
      this.experts.add(
          addChildBlock("expert-" + e, new SwiGluFeedForward(width, hidden, outputStd)));
    }
  }

  /** The router {@code D -> E} (Mixtral's {@code block_sparse_moe.gate}). */
  Linear router() {
    return router;
  }

  /** The experts, in index order. */
  List<SwiGluFeedForward> experts() {
    return Collections.unmodifiableList(experts);
  }

  /** Expert input rows processed since construction (or the last reset): {@code k} per token. */
  long expertRowsProcessed() {
    return expertRows.get();
  }

  /** Sets {@link #expertRowsProcessed()} back to zero. */
  void resetCounter() {
    expertRows.set(0);
  }

  @Override
  NDArray apply(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
    Shape shape = x.getShape();
    long positions = shape.get(0) * shape.get(1);
    NDManager manager = x.getManager();
    NDArray flat = x.reshape(positions, width);

    // Which positions are real, on the host: the dispatch index lists are built from it.
    float[] mask = context.newMask().reshape(positions).toFloatArray();
    long[] realRows = new long[mask.length];
    int real = 0;
    for (int p = 0; p < mask.length; p++) {
      if (mask[p] > 0) {
        realRows[real++] = p;
      }
    }
    if (real == 0) {
      return x.zerosLike();
    }
    NDArray realIndex = manager.create(Arrays.copyOf(realRows, real));
    NDArray tokens = real == positions ? flat : flat.get(realIndex); // (R, D)

    // routing in float32 whatever the activations' type: softmax, top-k, the z-loss's exp
    NDArray logits = Precision.toFloat32(Blocks.apply(router, ps, tokens, training)); // (R, E)
    NDArray probabilities = logits.softmax(-1);
    NDList top = probabilities.topK(topK, -1);
    NDArray chosen = top.get(1).toType(DataType.INT64, false); // (R, k)
    NDArray gates = top.get(0).div(top.get(0).sum(new int[] {-1}, true)); // (R, k)

    // Group the R * k assignments (assignment a = t * k + j) by expert, on the host.
    long[] expertOf = chosen.toLongArray();
    int expertCount = experts.size();
    int[] counts = new int[expertCount];
    for (long e : expertOf) {
      counts[(int) e]++;
    }
    int[] start = new int[expertCount + 1];
    for (int e = 0; e < expertCount; e++) {
      start[e + 1] = start[e] + counts[e];
    }
    int[] fill = start.clone();
    long[] assignmentOrder = new long[expertOf.length]; // grouped position -> assignment
    long[] groupedPosition = new long[expertOf.length]; // assignment -> grouped position
    for (int a = 0; a < expertOf.length; a++) {
      int slot = fill[(int) expertOf[a]]++;
      assignmentOrder[slot] = a;
      groupedPosition[a] = slot;
    }
    NDArray gateOfAssignment = Precision.like(gates.reshape(expertOf.length), x);
    NDList outputs = new NDList();
    for (int e = 0; e < expertCount; e++) {
      if (counts[e] == 0) {
        continue;
      }
      long[] assignments = Arrays.copyOfRange(assignmentOrder, start[e], start[e + 1]);
      long[] rows = new long[assignments.length];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = assignments[i] / topK;
      }
      NDArray input = tokens.get(manager.create(rows)); // (n_e, D): only this expert's tokens
      expertRows.addAndGet(rows.length);
      NDArray y = experts.get(e).apply(ps, input, training);
      NDArray weight = gateOfAssignment.get(manager.create(assignments)).expandDims(1);
      outputs.add(y.mul(weight));
    }
    // back to assignment order, then sum each token's k contributions
    NDArray grouped = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs, 0);
    NDArray combined =
        grouped.get(manager.create(groupedPosition)).reshape(real, topK, width).sum(new int[] {1});

    record(context, logits, probabilities, counts, real);

    if (real == positions) {
      return combined.reshape(shape);
    }
    // padding rows take a zero row appended after the real ones
    long[] source = new long[(int) positions];
    Arrays.fill(source, real);
    for (int i = 0; i < real; i++) {
      source[(int) realRows[i]] = i;
    }
    NDArray padded = combined.concat(manager.zeros(new Shape(1, width), combined.getDataType()));
    return padded.get(manager.create(source)).reshape(shape);
  }

  /** Computes this call's load-balance loss, z-loss and load and adds them to the context. */
  private void record(
      AttentionContext context, NDArray logits, NDArray probabilities, int[] counts, int real) {
    int experts = counts.length;
    float[] fraction = new float[experts];
    for (int e = 0; e < experts; e++) {
      fraction[e] = counts[e] / (float) (real * topK);
    }
    NDArray load = logits.getManager().create(fraction);
    NDArray meanProbability = probabilities.mean(new int[] {0}); // P_i, differentiable
    NDArray loadBalance = Scalars.multiply(load.mul(meanProbability).sum(), experts);
    // logsumexp, stabilised by the row maximum (DJL has no logSumExp)
    NDArray max = logits.max(new int[] {-1}, true).stopGradient();
    NDArray logSumExp = logits.sub(max).exp().sum(new int[] {-1}).log().add(max.squeeze(-1));
    NDArray routerZ = logSumExp.square().mean();
    context.routing().add(new RouterStatistics(loadBalance, routerZ, load));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask =
        inputs.size() > 1
            ? inputs.get(1)
            : x.getManager().ones(new Shape(x.getShape().get(0), x.getShape().get(1)));
    AttentionContext context =
        AttentionContext.feedForwardOnly(mask.toType(DataType.FLOAT32, false));
    return new NDList(apply(ps, x, context, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    router.initialize(manager, dataType, in);
    for (SwiGluFeedForward expert : experts) {
      expert.initialize(manager, dataType, in);
    }
  }
}
