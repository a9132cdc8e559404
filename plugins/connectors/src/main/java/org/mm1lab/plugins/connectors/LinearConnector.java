package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.PublishedLayout;

/**
 * The simplest connector: one linear map {@code D_enc -> D_llm} applied to every patch (LLaVA 1.0).
 * Keeps all patches, so {@code T = N = h * w}.
 *
 * <p>Input {@code (B, N, D_enc)}, output {@code (B, N, D_llm)}. Parameters: {@code D_enc * D_llm}
 * weights plus {@code D_llm} biases when {@code bias} is on.
 */
public final class LinearConnector extends ConnectorBlock implements PublishedLayout {

  private final Linear projection;

  /**
   * @param grid the encoder's patch grid (input layout)
   * @param outputWidth the decoder width {@code D_llm}
   * @param bias whether the projection has a bias
   */
  public LinearConnector(PatchGrid grid, int outputWidth, boolean bias) {
    super(grid, grid.patches(), outputWidth);
    projection =
        addChildBlock("projection", Linear.builder().setUnits(outputWidth).optBias(bias).build());
  }

  /** This connector as LLaVA's {@code mm_projector} ({@link LlavaProjector} gives the names). */
  @Override
  public LayoutExport publishedLayout(NDManager manager) {
    return LlavaProjector.export(List.of(projection), "linear", grid().channels(), manager);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    checkInput(inputs.singletonOrThrow().getShape());
    return projection.forward(parameterStore, inputs, training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(manager, dataType, checkInput(inputShapes));
  }
}
