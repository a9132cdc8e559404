package org.mm1lab.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.KeyValueCache;

/**
 * A tiny decoder whose every output depends on the whole real prefix: position t's hidden state is
 * its own input vector plus the mean of the input vectors of the real (unmasked) positions up to t,
 * image tokens included. Its cache keeps the running sum and count per row, so incremental decoding
 * equals a full pass. Padding that leaked into the mean would change the outputs, which is what the
 * batching tests need to see.
 */
final class CausalMeanDecoder extends AbstractBlock implements Decoder {

  private final int width;
  private final int vocabularySize;
  private final Parameter embedding;
  private final Linear head;
  // run at the start of every decode call: lets a test watch or fail the calls
  private Runnable beforeDecode = () -> {};

  CausalMeanDecoder(int width, int vocabularySize) {
    this.width = width;
    this.vocabularySize = vocabularySize;
    this.embedding =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, width))
                .build());
    this.head = addChildBlock("head", Linear.builder().setUnits(vocabularySize).build());
  }

  /** Runs {@code hook} at the start of every decode call from now on. */
  void beforeDecode(Runnable hook) {
    this.beforeDecode = hook;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public DecoderOutput decode(
      ParameterStore ps, DecoderInput input, KeyValueCache cache, boolean training) {
    beforeDecode.run();
    Shape shape = input.tokens().getShape();
    long b = shape.get(0);
    long l = shape.get(1);
    NDArray table = ps.getValue(embedding, input.tokens().getDevice(), training);
    NDArray x = table.get(input.tokens().flatten().toType(DataType.INT64, false));
    if (input.imageSlots() != null) {
      NDArray slots = input.imageSlots().flatten().toType(DataType.BOOLEAN, false);
      NDArray images = input.imageTokens().reshape(-1, width);
      NDArray index = slots.toType(DataType.INT64, false).cumSum(0).sub(1).clip(0, Long.MAX_VALUE);
      x = NDArrays.where(slots.expandDims(1).broadcast(x.getShape()), images.get(index), x);
    }
    x = x.reshape(b, l, width);
    NDArray mask = input.attentionMask().toType(DataType.FLOAT32, false).reshape(b, l, 1);
    NDArray sums = x.mul(mask).cumSum(1);
    NDArray counts = mask.cumSum(1);
    if (cache != null) {
      Sums c = (Sums) cache;
      if (c.sum != null) {
        sums = sums.add(c.sum.expandDims(1));
        counts = counts.add(c.count.expandDims(1));
      }
      NDArray lastSum = sums.get(":, -1, :").duplicate();
      NDArray lastCount = counts.get(":, -1, :").duplicate();
      lastSum.attach(c.manager);
      lastCount.attach(c.manager);
      // kept across calls: out of the caller's per-call scope (see KeyValueCache)
      NDScope.unregister(lastSum, lastCount);
      c.sum = lastSum;
      c.count = lastCount;
      c.length += Math.toIntExact(l);
    }
    NDArray hidden = x.add(sums.div(counts.maximum(1f)));
    return DecoderOutput.of(head.forward(ps, new NDList(hidden), training).singletonOrThrow());
  }

  @Override
  public KeyValueCache newCache(NDManager manager, int batchSize) {
    return new Sums(manager.newSubManager());
  }

  /** Running sums {@code (B, D)} and counts {@code (B, 1)} of the real positions so far. */
  private static final class Sums implements KeyValueCache {
    private final NDManager manager;
    private NDArray sum;
    private NDArray count;
    private int length;

    Sums(NDManager manager) {
      this.manager = manager;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        decode(ps, DecoderInput.text(inputs.get(0), inputs.get(1)), null, training).logits());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabularySize)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    head.initialize(manager, dataType, new Shape(1, width));
  }
}
