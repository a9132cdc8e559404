package org.mm1lab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.EncoderContext;
import org.mm1lab.api.Family;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.ImageEncoderFactory;
import org.mm1lab.api.PatchGrid;

/**
 * The contract of an {@link ImageEncoder}: pixels {@code (B, 3, S, S)} with {@code S = imageSize()}
 * become patch features {@code (B, N, D_enc)} with {@code N} and {@code D_enc} from {@code
 * outputGrid()}, for every size variant and batch size; plus the option, gradient, seed and
 * save/load contracts every component owes.
 *
 * <pre>{@code
 * class MyEncoderContractTest extends ImageEncoderContract {
 *   protected ImageEncoderFactory factory() { return new MyEncoderFactory(); }
 *   protected String options() { return "image-size = 32, patch-size = 8, width = 16"; }
 *   protected List<String> sizes() { return List.of("", "image-size = 48"); }
 *   protected List<BadOption> badOptions() { return List.of(BadOption.of("patch-size", "7")); }
 * }
 * }</pre>
 */
public abstract class ImageEncoderContract extends BlockContract<ImageEncoder, EncoderContext> {

  /** For subclasses. */
  protected ImageEncoderContract() {}

  @Override
  protected abstract ImageEncoderFactory factory();

  @Override
  protected final Family family() {
    return Family.ENCODER;
  }

  @Override
  protected EncoderContext context() {
    return new EncoderContext(SEED);
  }

  /**
   * Variants of the options, in HOCON over {@link #options()}, whose output shapes are checked:
   * other image sizes, patch sizes, widths. Just {@link #options()} by default.
   */
  protected List<String> sizes() {
    return List.of("");
  }

  /** Batch sizes the shape test feeds. */
  protected List<Integer> batchSizes() {
    return List.of(1, 3);
  }

  @Override
  final void initialize(ImageEncoder encoder, NDManager manager) {
    int size = encoder.imageSize();
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
  }

  @Override
  final NDArray forward(
      ImageEncoder encoder,
      NDManager manager,
      ParameterStore store,
      DataType inputType,
      boolean training) {
    return encoder.encode(store, pixels(manager, encoder, 2).toType(inputType, false), training);
  }

  private static NDArray pixels(NDManager manager, ImageEncoder encoder, int batch) {
    int size = encoder.imageSize();
    return Blocks.randomNormal(manager, new Shape(batch, 3, size, size), 11);
  }

  @Test
  public void patchFeaturesFollowTheOutputGridForEverySize() {
    for (String size : sizes()) {
      try (NDManager manager = NDManager.newBaseManager()) {
        ImageEncoder encoder = create(optionsWith(size), context());
        assertTrue(encoder.imageSize() > 0, size + ": imageSize() must be positive");
        PatchGrid grid = encoder.outputGrid();
        initialize(encoder, manager);
        for (int batch : batchSizes()) {
          NDArray pixels = pixels(manager, encoder, batch);
          Shape expected = new Shape(batch, grid.patches(), grid.channels());
          NDArray features = encoder.encode(new ParameterStore(manager, false), pixels, false);
          Blocks.assertShapeAndFinite(expected, features, "[" + size + "] features of " + grid);
          assertEquals(
              expected,
              encoder.getOutputShapes(new Shape[] {pixels.getShape()})[0],
              "[" + size + "] getOutputShapes must agree with forward");
        }
      }
    }
  }
}
