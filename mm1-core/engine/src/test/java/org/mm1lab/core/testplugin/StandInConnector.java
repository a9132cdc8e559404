package org.mm1lab.core.testplugin;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.ConnectorContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.VLConnector;
import org.mm1lab.api.VLConnectorFactory;

/** Projects every patch to the decoder width; its token count must equal the patch count. */
public final class StandInConnector extends AbstractBlock implements VLConnector {

  private final int tokens;
  private final int inputWidth;
  private final int outputWidth;
  private final Linear projection;

  StandInConnector(int tokens, int inputWidth, int outputWidth) {
    this.tokens = tokens;
    this.inputWidth = inputWidth;
    this.outputWidth = outputWidth;
    this.projection = addChildBlock("projection", Linear.builder().setUnits(outputWidth).build());
  }

  @Override
  public int tokens() {
    return tokens;
  }

  @Override
  public int outputWidth() {
    return outputWidth;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return projection.forward(ps, inputs, training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), tokens, outputWidth)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(manager, dataType, new Shape(1, inputWidth));
  }

  /** {@code stand-in-connector}: option tokens, which must equal the encoder's patch count. */
  public static final class Factory implements VLConnectorFactory {
    @Override
    public String name() {
      return "stand-in-connector";
    }

    @Override
    public VLConnector create(Options options, ConnectorContext context) {
      int tokens = options.getInt("tokens", 1, 1 << 20);
      int patches = context.encoderGrid().patches();
      if (tokens != patches) {
        throw options.invalid(
            "tokens",
            tokens
                + " tokens do not match the encoder's "
                + context.encoderGrid()
                + "; set tokens = "
                + patches);
      }
      return new StandInConnector(tokens, context.encoderGrid().channels(), context.decoderWidth());
    }
  }
}
