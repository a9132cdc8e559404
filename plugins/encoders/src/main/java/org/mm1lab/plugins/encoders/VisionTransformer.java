package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mm1lab.api.EncoderObjective;
import org.mm1lab.api.ImageEncoder;
import org.mm1lab.api.PatchGrid;
import org.mm1lab.toolkit.nn.Blocks;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.LayoutUnavailableException;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.PublishedLayout;

/**
 * A pre-norm Vision Transformer without a class token, the encoder behind {@code clip-vit} and
 * {@code aim-vit}.
 *
 * <p>Pipeline, with {@code S} the image size, {@code P} the patch size, {@code g = S / P}, {@code N
 * = g²} and {@code D} the width:
 *
 * <ol>
 *   <li>patch embedding: a {@code P x P} convolution with stride {@code P} (with bias) maps {@code
 *       (B, 3, S, S)} to {@code (B, D, g, g)}, flattened to {@code (B, N, D)} in raster order; or,
 *       with {@code stem = conv}, {@code log2 P} 3 x 3 convolutions of stride 2 (padding 1, ReLU
 *       after each) and a 1 x 1 convolution to {@code D} do the same reduction, so that the
 *       transformer starts from local edges and corners rather than raw pixel blocks;
 *   <li>plus a learnable position embedding {@code (N, D)}, one vector per patch (normal, σ =
 *       0.02);
 *   <li>{@code layers} pre-norm {@link TransformerBlock}s;
 *   <li>a final LayerNorm.
 * </ol>
 *
 * <p>Shape contract of {@link #forward}: input {@code (B, 3, S, S)} float, and optionally an
 * attention mask as a second array ({@code (N, N)} or {@code (B, N, N)}, true where query patch
 * {@code i} may attend to key patch {@code j}; see {@link #encode(ParameterStore, NDArray, NDArray,
 * boolean)}); output {@code (B, N, D)} on {@link #outputGrid()} {@code = g x g x D}.
 *
 * <p>To run a trained encoder at another resolution, use {@link #withImageSize(int, NDManager)}.
 *
 * <p>Pretrained weights: {@link #loadPretrained} (for the {@code checkpoint} option) or {@link
 * #loadCheckpoint} copies a safetensors file into the initialised parameters, in MM1 Lab's own
 * layout (what {@code mm1 pretrain-encoder} writes) or in timm's {@code vit_*} layout, resampling
 * the position embeddings when the file's patch grid differs; {@link VitCheckpointLoader} lists the
 * expected tensor names.
 *
 * <p>Export: {@link #publishedLayout} writes the same parameters under timm's names (the table of
 * {@link TimmVitLayout}, which the loader reads), with the {@code model_args} of a timm {@code
 * VisionTransformer} that has no class token and no head, whose {@code forward_features} is this
 * encoder's output.
 */
public final class VisionTransformer extends AbstractBlock
    implements ImageEncoder, PublishedLayout {

  private static final byte VERSION = 1;

  /** The ViT initialisation of position embeddings: small enough not to drown the patch signal. */
  private static final float POSITION_SIGMA = 0.02f;

  private final String name;
  private final VitConfig config;
  private final Conv2d patchEmbedding;
  private final SequentialBlock convStem;
  private final Parameter positionEmbedding;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final PretrainingSpec pretraining;
  private final String checkpoint;

  /**
   * Builds an uninitialised encoder without a pretraining objective; no arrays are allocated until
   * {@link #initialize}.
   *
   * @param name the factory name, for messages ({@code clip-vit}, {@code aim-vit})
   * @param config the sizes
   */
  public VisionTransformer(String name, VitConfig config) {
    this(name, config, null, "");
  }

  /**
   * Builds an uninitialised encoder; no arrays are allocated until {@link #initialize}.
   *
   * @param name the factory name, for messages ({@code clip-vit}, {@code aim-vit})
   * @param config the sizes
   * @param pretraining what {@link #pretrainingObjective(int)} builds, or {@code null} for none
   * @param checkpoint the safetensors file {@link #loadPretrained} loads, or {@code ""} for none
   */
  VisionTransformer(String name, VitConfig config, PretrainingSpec pretraining, String checkpoint) {
    super(VERSION);
    this.name = name;
    this.config = config;
    this.pretraining = pretraining;
    this.checkpoint = checkpoint == null ? "" : checkpoint;
    int p = config.patchSize();
    if (config.convolutionalStem()) {
      patchEmbedding = null;
      SequentialBlock stem = new SequentialBlock();
      for (int channels : config.stemChannels()) {
        stem.add(
            Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .setFilters(channels)
                .build());
        stem.add(Activation::relu);
      }
      stem.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(config.width()).build());
      convStem = addChildBlock("convStem", stem);
    } else {
      convStem = null;
      patchEmbedding =
          addChildBlock(
              "patchEmbedding",
              Conv2d.builder()
                  .setKernelShape(new Shape(p, p))
                  .optStride(new Shape(p, p))
                  .setFilters(config.width())
                  .build());
    }
    positionEmbedding =
        addParameter(
            Parameter.builder()
                .setName("positionEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(POSITION_SIGMA))
                .optShape(new Shape(config.patches(), config.width()))
                .build());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(
          addChildBlock(
              "block" + i,
              new TransformerBlock(config.width(), config.heads(), config.hiddenWidth())));
    }
    finalNorm = addChildBlock("finalNorm", TransformerBlock.lastAxisNorm());
  }

  /** The sizes this encoder was built with. */
  public VitConfig config() {
    return config;
  }

  /** The factory name ({@code clip-vit}, {@code aim-vit}). */
  public String name() {
    return name;
  }

  /** The configured checkpoint path, or {@code ""} when none is configured. */
  public String checkpoint() {
    return checkpoint;
  }

  /**
   * Loads the configured {@code checkpoint} into the parameters, if one is configured; see {@link
   * VitCheckpointLoader} for the layouts it reads. Call it once, after {@link #initialize}; the
   * host does this for a run. Relative paths are resolved against the working directory.
   *
   * @param manager temporaries live in a sub-manager of it, freed before returning
   * @return whether a checkpoint was loaded ({@code false} when the option is empty)
   * @throws UncheckedIOException when the file cannot be read or is not valid safetensors
   * @throws org.mm1lab.toolkit.weights.WeightMismatchException listing every missing, unexpected
   *     and mis-shaped tensor, when the file does not fit this encoder's sizes
   */
  @Override
  public boolean loadPretrained(NDManager manager) {
    if (checkpoint.isEmpty()) {
      return false;
    }
    loadCheckpoint(Path.of(checkpoint), manager);
    return true;
  }

  /**
   * Loads a safetensors file in MM1 Lab's or timm's layout (see {@link VitCheckpointLoader}) into
   * the initialised parameters; nothing changes unless every tensor fits.
   *
   * @throws UncheckedIOException when the file cannot be read or is not valid safetensors
   * @throws org.mm1lab.toolkit.weights.WeightMismatchException listing every problem at once
   */
  public void loadCheckpoint(Path file, NDManager manager) {
    try {
      new VitCheckpointLoader(this).load(file, manager);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The patch embedding convolution, for weight loading. */
  Conv2d patchEmbedding() {
    if (patchEmbedding == null) {
      throw new IllegalStateException("this ViT has a convolutional stem, no patch embedding");
    }
    return patchEmbedding;
  }

  /** The {@code (N, D)} position embeddings, for weight loading. */
  Parameter positionEmbedding() {
    return positionEmbedding;
  }

  /** The transformer blocks in order, for weight loading. */
  List<TransformerBlock> blocks() {
    return blocks;
  }

  /** The final LayerNorm, for weight loading. */
  LayerNorm finalNorm() {
    return finalNorm;
  }

  @Override
  public int imageSize() {
    return config.imageSize();
  }

  /**
   * This encoder in timm's ViT layout: the tensors of {@link TimmVitLayout} ({@code qkv} fused by
   * rows, {@code pos_embed} as {@code (1, N, D)}) and a timm {@code config.json} ({@code
   * architecture}, {@code num_classes = 0}, {@code model_args} with every size, {@code class_token
   * = false}, {@code global_pool = ""}, {@code fc_norm = false}). One stated deviation: timm builds
   * its LayerNorms with epsilon 1e-6, this encoder's are 1e-5 (recorded as {@code layer_norm_eps}).
   *
   * @throws LayoutUnavailableException for the convolutional stem, which timm's ViT has no place
   *     for
   */
  @Override
  public LayoutExport publishedLayout(NDManager manager) {
    if (config.convolutionalStem()) {
      throw new LayoutUnavailableException(
          "the encoder's convolutional stem (stem = conv) has no place in timm's ViT layout, whose"
              + " patch embedding is one convolution; export an encoder with stem = patch");
    }
    int width = config.width();
    double mlpRatio = (double) config.hiddenWidth() / width;
    if ((int) (width * mlpRatio) != config.hiddenWidth()) {
      throw new LayoutUnavailableException(
          "the encoder's MLP width "
              + config.hiddenWidth()
              + " is not int(width x mlp_ratio) for any mlp_ratio timm would read back");
    }
    TimmVitLayout layout = new TimmVitLayout(this);
    ParameterMapping.Builder direct = ParameterMapping.builder();
    layout.mapDirect(direct);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    NDArray positions = positionEmbedding.getArray().reshape(1, config.patches(), width);
    positions.attach(manager);
    tensors.put(TimmVitLayout.POSITIONS, positions);
    tensors.putAll(LayoutExport.arraysOf(direct.build()));
    for (TimmVitLayout.Fused f : layout.fused()) {
      NDList parts = new NDList();
      for (Parameter p : f.parts()) {
        parts.add(p.getArray());
      }
      NDArray fused = NDArrays.concat(parts, 0);
      fused.attach(manager);
      tensors.put(f.name(), fused);
    }
    Map<String, Object> modelArgs = new LinkedHashMap<>();
    modelArgs.put("img_size", config.imageSize());
    modelArgs.put("patch_size", config.patchSize());
    modelArgs.put("in_chans", 3);
    modelArgs.put("embed_dim", width);
    modelArgs.put("depth", config.layers());
    modelArgs.put("num_heads", config.heads());
    modelArgs.put("mlp_ratio", mlpRatio);
    modelArgs.put("qkv_bias", true);
    modelArgs.put("class_token", false);
    modelArgs.put("no_embed_class", false);
    modelArgs.put("global_pool", "");
    modelArgs.put("fc_norm", false);
    modelArgs.put("num_classes", 0);
    Map<String, Object> json = new LinkedHashMap<>();
    // the timm entry point whose defaults model_args overrides in full
    json.put("architecture", "vit_base_patch16_224");
    json.put("num_classes", 0);
    json.put("num_features", width);
    json.put("global_pool", "");
    json.put("model_args", modelArgs);
    json.put("layer_norm_eps", 1e-5);
    return new LayoutExport(
        "timm-vit",
        tensors,
        json,
        List.of(
            "timm builds the ViT's LayerNorms with epsilon 1e-6, this encoder's use 1e-5"
                + " (layer_norm_eps): features differ by about that much"));
  }

  @Override
  public PatchGrid outputGrid() {
    return new PatchGrid(config.gridSide(), config.gridSide(), config.width());
  }

  /**
   * {@code clip-vit}: a {@link ClipObjective} (contrastive, with a text tower over {@code
   * vocabularySize} token ids); {@code aim-vit}: an {@link AimObjective} (autoregressive pixels,
   * ignores {@code vocabularySize}). Each call builds a new, uninitialised objective.
   */
  @Override
  public EncoderObjective pretrainingObjective(int vocabularySize) {
    if (pretraining == null) {
      return ImageEncoder.super.pretrainingObjective(vocabularySize);
    }
    return pretraining.build(this, vocabularySize);
  }

  /**
   * Encodes a batch of images with restricted attention, as autoregressive (AIM-style) pretraining
   * needs.
   *
   * @param parameterStore where the parameters live
   * @param pixels {@code (B, 3, S, S)} float
   * @param attentionMask {@code null} for full bidirectional attention, or {@code (N, N)} / {@code
   *     (B, N, N)}, boolean or numeric, non-zero where query patch {@code i} may attend to key
   *     patch {@code j} (patches in raster order); every row must allow at least one key. The same
   *     mask applies in every block and head. A causal mask is the lower triangle; a prefix mask
   *     additionally allows all pairs within the first {@code k} patches.
   * @param training whether train-time behaviour applies
   * @return {@code (B, N, D)} patch features
   */
  public NDArray encode(
      ParameterStore parameterStore, NDArray pixels, NDArray attentionMask, boolean training) {
    NDList inputs = attentionMask == null ? new NDList(pixels) : new NDList(pixels, attentionMask);
    return forward(parameterStore, inputs, training).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray pixels = inputs.get(0);
    checkPixels(pixels.getShape());
    long batch = pixels.getShape().get(0);
    NDArray patches =
        stem().forward(parameterStore, new NDList(pixels), training).singletonOrThrow();
    // (B, D, g, g) -> (B, D, N) -> (B, N, D): raster order, row by row.
    NDArray x = patches.reshape(batch, config.width(), config.patches()).transpose(0, 2, 1);
    NDArray positions = parameterStore.getValue(positionEmbedding, pixels.getDevice(), training);
    x = x.add(positions.expandDims(0));
    for (TransformerBlock block : blocks) {
      NDList blockInput = inputs.size() > 1 ? new NDList(x, inputs.get(1)) : new NDList(x);
      x = block.forward(parameterStore, blockInput, training).singletonOrThrow();
    }
    return new NDList(Blocks.applyInFloat32(finalNorm, parameterStore, x, training));
  }

  /** The block that turns {@code (B, 3, S, S)} pixels into {@code (B, D, g, g)} patch vectors. */
  private Block stem() {
    return convStem != null ? convStem : patchEmbedding;
  }

  private void checkPixels(Shape shape) {
    int s = config.imageSize();
    if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) != s || shape.get(3) != s) {
      throw new IllegalArgumentException(
          name
              + " expects pixels (B, 3, "
              + s
              + ", "
              + s
              + "), got "
              + shape
              + (shape.dimension() == 4 && shape.get(2) == shape.get(3) && shape.get(1) == 3
                  ? "; resize the images, or use withImageSize(" + shape.get(2) + ", manager)"
                  : ""));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.patches(), config.width())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkPixels(inputShapes[0]);
    stem().initialize(manager, dataType, inputShapes[0]);
    Shape tokens = new Shape(inputShapes[0].get(0), config.patches(), config.width());
    for (TransformerBlock block : blocks) {
      block.initialize(manager, dataType, tokens);
    }
    finalNorm.initialize(manager, dataType, tokens);
  }

  /**
   * The same encoder for another input resolution, keeping the trained weights: every parameter is
   * copied, except that the {@code g x g} grid of position embeddings is resampled bilinearly (see
   * {@link PositionGridResampler}) to the new {@code g' x g'} grid. This is the usual way to
   * fine-tune or evaluate a ViT at a higher resolution than it was pretrained at (MM1 goes from 224
   * to 336 or 378 px). Resizing to the current size gives an encoder whose outputs are identical.
   *
   * <p>If this encoder is not initialised, the result is simply an uninitialised encoder with the
   * new size and {@code manager} is not used. Otherwise the result is initialised, its parameters
   * are independent copies held by {@code manager}, and this encoder is left unchanged.
   *
   * @param newImageSize the new side length in pixels; a multiple of the patch size
   * @param manager owns the new encoder's parameters (when this one is initialised)
   * @return a new encoder
   * @throws IllegalArgumentException when {@code newImageSize} is not a positive multiple of the
   *     patch size; the message names the nearest sizes that are
   */
  public VisionTransformer withImageSize(int newImageSize, NDManager manager) {
    VisionTransformer resized =
        new VisionTransformer(name, config.withImageSize(newImageSize), pretraining, checkpoint);
    if (!isInitialized()) {
      return resized;
    }
    Shape oldInput = getInputShapes()[0];
    DataType dataType = positionEmbedding.getArray().getDataType();
    resized.initialize(
        manager, dataType, new Shape(oldInput.get(0), 3, newImageSize, newImageSize));
    PairList<String, Parameter> source = getParameters();
    PairList<String, Parameter> target = resized.getParameters();
    for (int i = 0; i < source.size(); i++) {
      Pair<String, Parameter> from = source.get(i);
      Parameter to = target.get(i).getValue();
      if (!from.getKey().equals(target.get(i).getKey())) {
        throw new IllegalStateException(
            "parameter order differs: " + from.getKey() + " vs " + target.get(i).getKey());
      }
      if (from.getValue() == positionEmbedding) {
        try (NDManager scratch = manager.newSubManager()) {
          NDArray old = positionEmbedding.getArray().duplicate();
          old.attach(scratch);
          PositionGridResampler.resample(old, config.gridSide(), resized.config.gridSide())
              .copyTo(to.getArray());
        }
      } else {
        from.getValue().getArray().copyTo(to.getArray());
      }
    }
    return resized;
  }

  @Override
  public String toString() {
    return name
        + " ViT(image "
        + config.imageSize()
        + ", patch "
        + config.patchSize()
        + (config.convolutionalStem() ? " by conv stem" : "")
        + ", width "
        + config.width()
        + ", layers "
        + config.layers()
        + ", heads "
        + config.heads()
        + ", mlp "
        + config.hiddenWidth()
        + ") -> "
        + outputGrid();
  }
}
