package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.PublishedLayout;

/**
 * LLaVA 1.5's {@code mlpNx_gelu} projector: {@code depth} linear layers with GELU between them,
 * applied to every patch. The first layer maps {@code D_enc -> D_llm}, the others {@code D_llm ->
 * D_llm}. Keeps all patches, so {@code T = N = h * w}.
 *
 * <p>Input {@code (B, N, D_enc)}, output {@code (B, N, D_llm)}. Parameters: {@code (D_enc + 1) *
 * D_llm + (depth - 1) * (D_llm + 1) * D_llm}.
 */
public final class MlpConnector extends ConnectorBlock implements PublishedLayout {

  private final List<Linear> layers = new ArrayList<>();

  /**
   * @param grid the encoder's patch grid (input layout)
   * @param outputWidth the decoder width {@code D_llm}
   * @param depth the number of linear layers, at least 1
   */
  public MlpConnector(PatchGrid grid, int outputWidth, int depth) {
    super(grid, grid.patches(), outputWidth);
    for (int i = 0; i < depth; i++) {
      layers.add(addChildBlock("fc" + (i + 1), Linear.builder().setUnits(outputWidth).build()));
    }
  }

  /** The number of linear layers. */
  public int depth() {
    return layers.size();
  }

  /** This connector as LLaVA's {@code mm_projector} ({@link LlavaProjector} gives the names). */
  @Override
  public LayoutExport publishedLayout(NDManager manager) {
    return LlavaProjector.export(
        layers, "mlp" + layers.size() + "x_gelu", grid().channels(), manager);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    checkInput(inputs.singletonOrThrow().getShape());
    NDArray x = inputs.singletonOrThrow();
    for (int i = 0; i < layers.size(); i++) {
      if (i > 0) {
        // GELU only between layers: the last layer's output is the token embedding itself.
        x = Activation.gelu(x);
      }
      x = layers.get(i).forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
    }
    return new NDList(x);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = checkInput(inputShapes);
    for (Linear layer : layers) {
      layer.initialize(manager, dataType, shape);
      shape = layer.getOutputShapes(new Shape[] {shape})[0];
    }
  }
}
