package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.arrays.Precision;

/**
 * LayerNorm over the channel axis of channel-first maps (timm's {@code LayerNorm2d}, which the
 * C-Abstractor uses in place of batch norm): each pixel's {@code C} features are normalised on
 * their own, then scaled and shifted per channel.
 *
 * <p>As a {@link ai.djl.nn.Block}: input and output {@code (B, C, H, W)} (DJL's {@link LayerNorm}
 * normalises trailing axes only, so the maps are moved to channels-last around it). {@link
 * #normalizeLastAxis} takes channels-last maps {@code (..., C)} as they are.
 */
final class ChannelLayerNorm extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final float EPSILON = 1e-6f;

  private final int channels;
  private final Parameter gamma;
  private final Parameter beta;

  ChannelLayerNorm(int channels) {
    super(VERSION);
    this.channels = channels;
    gamma =
        addParameter(
            Parameter.builder()
                .setName("gamma")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels))
                .build());
    beta =
        addParameter(
            Parameter.builder()
                .setName("beta")
                .setType(Parameter.Type.BETA)
                .optShape(new Shape(channels))
                .build());
  }

  /** Normalises channels-last maps {@code (..., C)} over their last axis. */
  NDArray normalizeLastAxis(ParameterStore parameterStore, NDArray x, boolean training) {
    NDArray g = parameterStore.getValue(gamma, x.getDevice(), training);
    NDArray b = parameterStore.getValue(beta, x.getDevice(), training);
    // in float32 whatever the maps' type; the gain and shift are float32 (norm parameters)
    return Precision.inFloat32(
        x,
        x32 ->
            LayerNorm.layerNorm(
                    x32,
                    new Shape(channels),
                    Precision.toFloat32(g),
                    Precision.toFloat32(b),
                    EPSILON)
                .singletonOrThrow());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray channelsLast = inputs.singletonOrThrow().transpose(0, 2, 3, 1);
    return new NDList(
        normalizeLastAxis(parameterStore, channelsLast, training).transpose(0, 3, 1, 2));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
