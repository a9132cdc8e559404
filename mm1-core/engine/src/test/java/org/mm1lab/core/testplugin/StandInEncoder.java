package org.mm1lab.core.testplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.Options;
import org.mm1lab.api.PatchGrid;

/** Cuts images into patches and projects each linearly: the smallest honest image encoder. */
public final class StandInEncoder extends AbstractBlock implements ImageEncoder {

  private final int imageSize;
  private final int patchSize;
  private final int width;
  private final Linear projection;

  StandInEncoder(int imageSize, int patchSize, int width) {
    this.imageSize = imageSize;
    this.patchSize = patchSize;
    this.width = width;
    this.projection = addChildBlock("projection", Linear.builder().setUnits(width).build());
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public PatchGrid outputGrid() {
    int side = imageSize / patchSize;
    return new PatchGrid(side, side, width);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pixels = inputs.singletonOrThrow();
    long b = pixels.getShape().get(0);
    int side = imageSize / patchSize;
    NDArray patches =
        pixels
            .reshape(b, 3, side, patchSize, side, patchSize)
            .transpose(0, 2, 4, 1, 3, 5)
            .reshape(b, (long) side * side, 3L * patchSize * patchSize);
    return projection.forward(ps, new NDList(patches), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputGrid().patches(), width)};
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(manager, dataType, new Shape(1, 3L * patchSize * patchSize));
  }

  /** {@code stand-in-encoder}: options image-size, patch-size, width. */
  public static final class Factory implements ImageEncoderFactory {
    @Override
    public String name() {
      return "stand-in-encoder";
    }

    @Override
    public String description() {
      return "Test encoder: linear projection of raw patches.";
    }

    @Override
    public ImageEncoder create(Options options, EncoderContext context) {
      int imageSize = options.getInt("image-size", 1, 4096);
      int patchSize = options.getInt("patch-size", 1, 4096);
      int width = options.getInt("width", 1, 1 << 16);
      if (imageSize % patchSize != 0) {
        throw options.invalid(
            "image-size",
            imageSize
                + " is not a multiple of patch-size "
                + patchSize
                + "; use "
                + (imageSize / patchSize) * patchSize
                + " or "
                + (imageSize / patchSize + 1) * patchSize);
      }
      return new StandInEncoder(imageSize, patchSize, width);
    }
  }
}
