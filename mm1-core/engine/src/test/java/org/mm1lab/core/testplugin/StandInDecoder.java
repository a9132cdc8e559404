package org.mm1lab.core.testplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderContext;
import org.mm1lab.api.DecoderFactory;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.KeyValueCache;
import org.mm1lab.api.Options;

/**
 * A bag-of-embeddings "decoder": embeds tokens, puts image tokens into their slots, and projects
 * each position to logits. No attention, so each position's logits depend on its own input only:
 * its key/value cache merely counts positions, and generation over it is exact. Enough to test the
 * data path and the evaluation harness end to end.
 */
public final class StandInDecoder extends AbstractBlock implements Decoder {

  private final int width;
  private final int vocabularySize;
  private final Parameter embedding;
  private final Linear head;

  StandInDecoder(int width, int vocabularySize) {
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
    if (cache != null) {
      ((PositionCount) cache).length += Math.toIntExact(input.tokens().getShape().get(1));
    }
    NDArray table = ps.getValue(embedding, input.tokens().getDevice(), training);
    Shape tokenShape = input.tokens().getShape();
    NDArray hidden = table.get(input.tokens().flatten().toType(DataType.INT64, false));
    if (input.imageSlots() != null) {
      NDArray slots = input.imageSlots().flatten().toType(DataType.BOOLEAN, false);
      NDArray images = input.imageTokens().reshape(-1, width);
      NDArray slotIndex =
          slots.toType(DataType.INT64, false).cumSum(0).sub(1).clip(0, Long.MAX_VALUE);
      NDArray fromImages = images.get(slotIndex);
      NDArray pick = slots.expandDims(1).broadcast(hidden.getShape());
      hidden = NDArrays.where(pick, fromImages, hidden);
    }
    hidden = hidden.reshape(tokenShape.get(0), tokenShape.get(1), width);
    NDArray logits = head.forward(ps, new NDList(hidden), training).singletonOrThrow();
    return DecoderOutput.of(logits);
  }

  @Override
  public KeyValueCache newCache(NDManager manager, int batchSize) {
    return new PositionCount();
  }

  /** The stand-in's cache: nothing to remember but how many positions went by. */
  private static final class PositionCount implements KeyValueCache {
    private int length;

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {}
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

  /** {@code stand-in-decoder}: option width. */
  public static final class Factory implements DecoderFactory {
    @Override
    public String name() {
      return "stand-in-decoder";
    }

    @Override
    public Decoder create(Options options, DecoderContext context) {
      return new StandInDecoder(options.getInt("width", 1, 1 << 16), context.vocabularySize());
    }
  }
}
