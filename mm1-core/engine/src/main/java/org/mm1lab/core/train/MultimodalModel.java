package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.core.assembly.Components;
import org.mm1lab.core.pipeline.HostBatch;

/**
 * The assembled model as one block: image encoder, connector and decoder as children, so that their
 * parameters are named, trained, saved and loaded together. Its forward pass is {@link
 * #forward(ParameterStore, HostBatch.Inputs, boolean)}: images through the encoder and connector
 * into the decoder's image slots.
 */
public final class MultimodalModel extends AbstractBlock {

  private final Components components;

  /** Wraps the run's components; call {@link #initialize(NDManager, int)} before use. */
  public MultimodalModel(Components components) {
    this.components = components;
    addChildBlock("encoder", components.encoder());
    addChildBlock("connector", components.connector());
    addChildBlock("decoder", components.decoder());
  }

  /** The components. */
  public Components components() {
    return components;
  }

  /**
   * Allocates every parameter.
   *
   * @param manager owns the parameters
   * @param sequenceLength the training sequence length
   */
  public void initialize(NDManager manager, int sequenceLength) {
    int imageSize = components.encoder().imageSize();
    PatchGrid grid = components.encoder().outputGrid();
    components
        .encoder()
        .initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
    components
        .connector()
        .initialize(manager, DataType.FLOAT32, new Shape(1, grid.patches(), grid.channels()));
    components
        .decoder()
        .initialize(
            manager, DataType.FLOAT32, new Shape(1, sequenceLength), new Shape(1, sequenceLength));
  }

  /**
   * Runs the model on a batch.
   *
   * @return the decoder's logits, auxiliary losses and statistics
   */
  public DecoderOutput forward(ParameterStore ps, HostBatch.Inputs batch, boolean training) {
    return forward(ps, batch, null, training);
  }

  /**
   * Runs the model on a batch, asking the decoder for logits only at {@code logitPositions} (see
   * {@link DecoderInput#logitPositions}; a decoder may still return all of them).
   *
   * @param logitPositions {@code (N)} int64 indices into the batch's {@code B * L} positions, or
   *     {@code null} for every position
   * @return the decoder's logits, auxiliary losses and statistics
   */
  public DecoderOutput forward(
      ParameterStore ps, HostBatch.Inputs batch, NDArray logitPositions, boolean training) {
    DecoderInput input;
    if (batch.pixels() != null) {
      NDArray features = components.encoder().encode(ps, batch.pixels(), training);
      NDArray imageTokens = components.connector().connect(ps, features, training);
      input =
          new DecoderInput(batch.tokens(), batch.attentionMask(), batch.imageSlots(), imageTokens);
    } else {
      input = DecoderInput.text(batch.tokens(), batch.attentionMask());
    }
    return components
        .decoder()
        .decode(ps, input.withLogitPositions(logitPositions), null, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "use forward(ParameterStore, HostBatch.Inputs, boolean)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException("the model's output shape depends on the batch");
  }
}
