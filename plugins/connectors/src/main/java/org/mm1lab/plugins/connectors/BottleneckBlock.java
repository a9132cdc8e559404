package org.mm1lab.plugins.connectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.toolkit.nn.Activations;
import org.mm1lab.toolkit.nn.Blocks;

/**
 * One ResNet-style bottleneck block of the C-Abstractor, as Honeybee builds it from timm's RegNet
 * {@code Bottleneck} (bottleneck ratio 1, group size 1, SE ratio 0.25, SiLU, channel LayerNorm):
 *
 * <pre>
 *   y = SiLU(LN(conv1x1(x)))
 *   y = SiLU(LN(depthwise3x3(y)))
 *   y = y * sigmoid(W2 SiLU(W1 mean_hw(y)))        squeeze-excitation
 *   y = LN(conv1x1(y))
 *   out = SiLU(y + shortcut(x))      shortcut: identity, or LN(conv1x1(x)) when widths differ
 * </pre>
 *
 * <p>As a {@link ai.djl.nn.Block}: input {@code (B, C_in, H, W)}, output {@code (B, C_out, H, W)}.
 * The C-Abstractor calls {@link #applyChannelsLast} on {@code (B, H, W, C)} maps instead, the
 * layout the block computes in: its norms normalise the last axis without transposes, and PyTorch
 * runs the convolutions on channels-last views without copies. Convolutions followed by a norm
 * carry no bias (the norm's shift makes it redundant).
 */
final class BottleneckBlock extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final float SE_RATIO = 0.25f;

  private final int outChannels;
  private final Conv2d conv1;
  private final ChannelLayerNorm norm1;
  private final Conv2d conv2;
  private final ChannelLayerNorm norm2;
  private final Linear seReduce;
  private final Linear seExpand;
  private final Conv2d conv3;
  private final ChannelLayerNorm norm3;
  private final Conv2d shortcutConv;
  private final ChannelLayerNorm shortcutNorm;

  BottleneckBlock(int inChannels, int outChannels) {
    super(VERSION);
    this.outChannels = outChannels;
    // timm sizes the squeeze from the block's input width.
    int seChannels = Math.max(1, Math.round(inChannels * SE_RATIO));
    conv1 = addChildBlock("conv1", conv(outChannels, 1, 1));
    norm1 = addChildBlock("norm1", new ChannelLayerNorm(outChannels));
    conv2 = addChildBlock("conv2", conv(outChannels, 3, outChannels));
    norm2 = addChildBlock("norm2", new ChannelLayerNorm(outChannels));
    seReduce = addChildBlock("se_reduce", Linear.builder().setUnits(seChannels).build());
    seExpand = addChildBlock("se_expand", Linear.builder().setUnits(outChannels).build());
    conv3 = addChildBlock("conv3", conv(outChannels, 1, 1));
    norm3 = addChildBlock("norm3", new ChannelLayerNorm(outChannels));
    if (inChannels != outChannels) {
      shortcutConv = addChildBlock("shortcut_conv", conv(outChannels, 1, 1));
      shortcutNorm = addChildBlock("shortcut_norm", new ChannelLayerNorm(outChannels));
    } else {
      shortcutConv = null;
      shortcutNorm = null;
    }
  }

  private static Conv2d conv(int filters, int kernel, int groups) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .setFilters(filters)
        .optGroups(groups)
        .optBias(false)
        .build();
  }

  /**
   * The block on channels-last maps.
   *
   * @param x {@code (B, H, W, C_in)}
   * @return {@code (B, H, W, C_out)}
   */
  NDArray applyChannelsLast(ParameterStore ps, NDArray x, boolean training) {
    NDArray y =
        Activations.silu(norm1.normalizeLastAxis(ps, convolve(conv1, ps, x, training), training));
    y = Activations.silu(norm2.normalizeLastAxis(ps, convolve(conv2, ps, y, training), training));

    long batch = y.getShape().get(0);
    // Squeeze: per-channel mean over the map. DJL's PyTorch mean takes one axis, so flatten first.
    NDArray squeezed = y.reshape(batch, -1, outChannels).mean(new int[] {1}); // (B, C)
    NDArray reduced = Activations.silu(Blocks.apply(seReduce, ps, squeezed, training));
    NDArray gate = Blocks.apply(seExpand, ps, reduced, training);
    y = y.mul(Activation.sigmoid(gate).reshape(batch, 1, 1, outChannels));

    y = norm3.normalizeLastAxis(ps, convolve(conv3, ps, y, training), training);
    NDArray shortcut = x;
    if (shortcutConv != null) {
      shortcut =
          shortcutNorm.normalizeLastAxis(ps, convolve(shortcutConv, ps, x, training), training);
    }
    return Activations.silu(y.add(shortcut));
  }

  /**
   * A convolution of channels-last maps {@code (B, H, W, C)}: their {@code (B, C, H, W)} view has
   * channels-last strides, which PyTorch convolves in that layout and answers in kind, so the
   * result viewed back is {@code (B, H, W, C_out)} with no copy either way.
   */
  private static NDArray convolve(Conv2d conv, ParameterStore ps, NDArray x, boolean training) {
    return Blocks.apply(conv, ps, x.transpose(0, 3, 1, 2), training).transpose(0, 2, 3, 1);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow().transpose(0, 2, 3, 1);
    return new NDList(applyChannelsLast(ps, x, training).transpose(0, 3, 1, 2));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    Shape out = getOutputShapes(inputShapes)[0];
    conv1.initialize(manager, dataType, in);
    norm1.initialize(manager, dataType, out);
    conv2.initialize(manager, dataType, out);
    norm2.initialize(manager, dataType, out);
    seReduce.initialize(manager, dataType, new Shape(in.get(0), outChannels));
    Shape pooled = new Shape(in.get(0), outChannels);
    seExpand.initialize(manager, dataType, seReduce.getOutputShapes(new Shape[] {pooled}));
    conv3.initialize(manager, dataType, out);
    norm3.initialize(manager, dataType, out);
    if (shortcutConv != null) {
      shortcutConv.initialize(manager, dataType, in);
      shortcutNorm.initialize(manager, dataType, out);
    }
  }
}
