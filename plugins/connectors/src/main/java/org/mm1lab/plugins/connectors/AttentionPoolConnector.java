package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.nn.AttentionHeads;
import org.mm1lab.toolkit.nn.Blocks;
import org.mm1lab.toolkit.nn.ScaledDotProductAttention;

/**
 * MM1's attention-pooling connector: {@code T} learnable queries of width {@code D_enc}
 * cross-attend with {@code heads} heads to the patch features, then a linear projection {@code
 * D_enc -> D_llm}.
 *
 * <p>With {@code Q = W_q q + b_q} (queries), {@code K = W_k x + b_k}, {@code V = W_v x + b_v}
 * (patches), each head computes {@code softmax(Q_h K_h^T / sqrt(d)) V_h} with {@code d = D_enc /
 * heads}; the heads are concatenated, mixed by {@code W_o}, and projected to {@code D_llm}. This is
 * {@code torch.nn.MultiheadAttention} with the queries as the only learnable input.
 *
 * <p>Input {@code (B, N, D_enc)}; output {@code (B, T, D_llm)}. {@code T} need not be a square: the
 * queries carry no spatial layout.
 */
public final class AttentionPoolConnector extends ConnectorBlock {

  private final int heads;
  private final Parameter queries;
  private final Linear queryProj;
  private final Linear keyProj;
  private final Linear valueProj;
  private final Linear outProj;
  private final Linear projection;

  /**
   * @param grid the encoder's patch grid
   * @param tokens the number of learnable queries {@code T}
   * @param heads attention heads; must divide {@code grid.channels()}
   * @param outputWidth the decoder width {@code D_llm}
   */
  public AttentionPoolConnector(PatchGrid grid, int tokens, int heads, int outputWidth) {
    super(grid, tokens, outputWidth);
    int width = grid.channels();
    if (heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException(heads + " heads do not divide D_enc = " + width);
    }
    this.heads = heads;
    // Small normal init, as ViT/Perceiver-style query tokens are: Xavier on (T, D) would scale
    // with T, which is a token count, not a fan.
    queries =
        addParameter(
            Parameter.builder()
                .setName("queries")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(tokens, width))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
    queryProj = addChildBlock("query", Linear.builder().setUnits(width).build());
    keyProj = addChildBlock("key", Linear.builder().setUnits(width).build());
    valueProj = addChildBlock("value", Linear.builder().setUnits(width).build());
    outProj = addChildBlock("out", Linear.builder().setUnits(width).build());
    projection = addChildBlock("projection", Linear.builder().setUnits(outputWidth).build());
  }

  /** The number of attention heads. */
  public int heads() {
    return heads;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    checkInput(x.getShape());
    NDArray q0 = parameterStore.getValue(queries, x.getDevice(), training);
    // heads split off: (1, H, T, d) for the queries the whole batch shares, (B, H, N, d) for the
    // keys and values of the patches
    NDArray q = AttentionHeads.split(Blocks.apply(queryProj, parameterStore, q0, training), heads);
    NDArray k = AttentionHeads.split(Blocks.apply(keyProj, parameterStore, x, training), heads);
    NDArray v = AttentionHeads.split(Blocks.apply(valueProj, parameterStore, x, training), heads);
    NDArray attended = // (B, H, T, d)
        ScaledDotProductAttention.attend(ScaledDotProductAttention.scaleQueries(q), k, v, null);
    NDArray mixed = Blocks.apply(outProj, parameterStore, AttentionHeads.merge(attended), training);
    return projection.forward(parameterStore, new NDList(mixed), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape input = checkInput(inputShapes);
    Shape pooled = new Shape(input.get(0), tokens(), grid.channels());
    queryProj.initialize(manager, dataType, new Shape(tokens(), grid.channels()));
    keyProj.initialize(manager, dataType, input);
    valueProj.initialize(manager, dataType, input);
    outProj.initialize(manager, dataType, pooled);
    projection.initialize(manager, dataType, pooled);
  }
}
