package org.mm1lab.toolkit.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;

/**
 * The parameters of a multi-head self-attention block: four {@link Linear} projections, child
 * blocks named {@code query}, {@code key}, {@code value} and {@code output} and added in that
 * order, so that a subclass's parameters are named {@code ..._01query_weight}, {@code
 * ..._02key_weight}, {@code ..._03value_weight}, {@code ..._04output_weight} (and {@code _bias}
 * where the projections have one) and initialised in that order. What the attention computes
 * between the projections (masks, rotary positions, a key/value cache) is the subclass's {@code
 * forwardInternal}, written with {@link AttentionHeads} and {@link ScaledDotProductAttention}.
 *
 * <p>Shape contract of the projections: queries, keys and values are all projected from the input
 * {@code (B, N, D)}: the query projection to {@code H * hd} features, the key and value projections
 * to {@code H_kv * hd} (fewer for grouped-query attention), the output projection from {@code H *
 * hd} back to the block's output width. As a block: output shape the input's.
 */
public abstract class ProjectedSelfAttention extends AbstractBlock {

  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;

  /**
   * Adds the four projections as child blocks, in this order; their bias and initialiser are the
   * caller's choice.
   *
   * @param query {@code D -> H * hd}
   * @param key {@code D -> H_kv * hd}
   * @param value {@code D -> H_kv * hd}
   * @param output {@code H * hd -> D}
   */
  protected ProjectedSelfAttention(Linear query, Linear key, Linear value, Linear output) {
    this.query = addChildBlock("query", query);
    this.key = addChildBlock("key", key);
    this.value = addChildBlock("value", value);
    this.output = addChildBlock("output", output);
  }

  /** The query projection {@code D -> H * hd}, for weight loading and checkpoint layouts. */
  public Linear query() {
    return query;
  }

  /** The key projection {@code D -> H_kv * hd}, for weight loading and checkpoint layouts. */
  public Linear key() {
    return key;
  }

  /** The value projection {@code D -> H_kv * hd}, for weight loading and checkpoint layouts. */
  public Linear value() {
    return value;
  }

  /** The output projection {@code H * hd -> D}, for weight loading and checkpoint layouts. */
  public Linear output() {
    return output;
  }

  /** The output has the input's shape {@code (B, N, D)}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /**
   * Initialises the four projections in order, each for the input shape {@code (B, N, D)}: the
   * output projection too, since its input {@code (B, N, H * hd)} has the same width (a self-
   * attention block's width is {@code D = H * hd}).
   */
  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    query.initialize(manager, dataType, in);
    key.initialize(manager, dataType, in);
    value.initialize(manager, dataType, in);
    output.initialize(manager, dataType, in);
  }
}
