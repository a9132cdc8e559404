package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.toolkit.nn.AttentionMasks;
import org.mm1lab.toolkit.nn.Blocks;

/**
 * CLIP's text encoder, small: token embedding plus learned positions, pre-norm {@link
 * TransformerBlock}s with causal attention restricted to real tokens, a final LayerNorm, and the
 * feature of each caption's <em>last real token</em> as its summary.
 *
 * <p>Why the last token: under a causal mask it is the only position that has seen the whole
 * caption (CLIP pools its end-of-text token the same way); the host's tokenizer should end each
 * caption with an end token so that this position is the same kind of token in every caption.
 *
 * <p>Forward: input token ids {@code (B, L)} (any integer type) and a mask {@code (B, L)}, non-zero
 * at real tokens with padding at the end; output {@code (B, W)} with {@code W} the text width.
 * {@code L} may be at most the configured maximum length.
 */
final class TextTower extends AbstractBlock {

  /** Initial scale of token embeddings, as in CLIP. */
  private static final float TOKEN_SIGMA = 0.02f;

  /** Initial scale of position embeddings, as in CLIP. */
  private static final float POSITION_SIGMA = 0.01f;

  private final int vocabularySize;
  private final int width;
  private final int maxLength;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;

  /**
   * @param vocabularySize token ids lie in {@code [0, vocabularySize)}
   * @param config the text tower's sizes
   */
  TextTower(int vocabularySize, ClipObjectiveConfig config) {
    this.vocabularySize = vocabularySize;
    this.width = config.textWidth();
    this.maxLength = config.maxTextLength();
    tokenEmbedding =
        addParameter(
            Parameter.builder()
                .setName("tokenEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(TOKEN_SIGMA))
                .optShape(new Shape(vocabularySize, width))
                .build());
    positionEmbedding =
        addParameter(
            Parameter.builder()
                .setName("positionEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(POSITION_SIGMA))
                .optShape(new Shape(maxLength, width))
                .build());
    for (int i = 0; i < config.textLayers(); i++) {
      blocks.add(
          addChildBlock(
              "block" + i,
              new TransformerBlock(
                  width, config.textHeads(), width * ClipObjectiveConfig.TEXT_MLP_RATIO)));
    }
    finalNorm = addChildBlock("finalNorm", TransformerBlock.lastAxisNorm());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray tokens = inputs.get(0).toType(DataType.INT64, false);
    NDArray real = inputs.get(1).neq(0); // (B, L) boolean
    Shape shape = tokens.getShape();
    if (shape.dimension() != 2 || !shape.equals(real.getShape())) {
      throw new IllegalArgumentException(
          "caption tokens and mask must both be (B, L), got " + shape + " and " + real.getShape());
    }
    long length = shape.get(1);
    if (length > maxLength) {
      throw new IllegalArgumentException(
          "captions of "
              + length
              + " tokens exceed max-text-length "
              + maxLength
              + "; truncate them or raise max-text-length");
    }
    // PyTorch's own error for an out-of-range id names neither the id nor the vocabulary.
    long largest = tokens.max().getLong();
    long smallest = tokens.min().getLong();
    if (smallest < 0 || largest >= vocabularySize) {
      throw new IllegalArgumentException(
          "caption token ids must lie in [0, "
              + vocabularySize
              + "), got ids from "
              + smallest
              + " to "
              + largest);
    }
    NDManager manager = tokens.getManager();
    NDArray table = parameterStore.getValue(tokenEmbedding, tokens.getDevice(), training);
    NDArray positions = parameterStore.getValue(positionEmbedding, tokens.getDevice(), training);
    NDArray x =
        tokens
            .getNDArrayInternal()
            .embedding(tokens, table, SparseFormat.DENSE)
            .singletonOrThrow()
            .add(positions.get("0:{}", length)); // (B, L, W)

    // Query i may attend to key j when j <= i (causal) and j is a real token: (B, L, L).
    NDArray allowed = AttentionMasks.causal(real, length);
    for (TransformerBlock block : blocks) {
      x = block.forward(parameterStore, new NDList(x, allowed), training).singletonOrThrow();
    }
    x = Blocks.applyInFloat32(finalNorm, parameterStore, x, training);

    // Pool the last real token: the position with the largest index among real ones (0 for an
    // empty caption). A one-hot selection keeps the gradient flowing to that position only.
    NDArray index = manager.arange((int) length);
    NDArray last =
        real.toType(DataType.FLOAT32, false).mul(index.toType(DataType.FLOAT32, false)).argMax(1);
    NDArray pick = last.oneHot((int) length).toType(x.getDataType(), false).expandDims(2);
    return new NDList(x.mul(pick).sum(new int[] {1}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), width)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width);
    for (TransformerBlock block : blocks) {
      block.initialize(manager, dataType, hidden);
    }
    finalNorm.initialize(manager, dataType, hidden);
  }

  /** Token ids lie in {@code [0, vocabularySize())}. */
  int vocabularySize() {
    return vocabularySize;
  }
}
