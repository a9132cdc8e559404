package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.mm1lab.plugins.encoders.TimmVitLayout.Fused;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.ParameterValues;
import org.mm1lab.toolkit.weights.SafetensorsReader;
import org.mm1lab.toolkit.weights.WeightLoader;
import org.mm1lab.toolkit.weights.WeightMismatchException;

/**
 * Loads a safetensors file into an initialised {@link VisionTransformer}, in one of two layouts,
 * told apart by the presence of {@code patch_embed.proj.weight}.
 *
 * <p><b>MM1 Lab's own layout</b>, as {@code mm1 pretrain-encoder} writes it ({@code
 * encoder.safetensors}): every parameter under its DJL block name, with {@code N} the {@code g x g}
 * patches, {@code D} the width, {@code H} the MLP's hidden width, {@code P} the patch size, and
 * block {@code i} numbered from {@code 02} in the prefix:
 *
 * <pre>
 * 01patchEmbedding_weight                      (D, 3, P, P)
 * 01patchEmbedding_bias                        (D)
 * positionEmbedding                            (N', D)   any square N'; resampled to N
 * 02block0_01attentionNorm_gamma / _beta       (D)
 * 02block0_02attention_01query_weight          (D, D)    also _bias (D); 02key, 03value, 04output
 * 02block0_03mlpNorm_gamma / _beta             (D)
 * 02block0_04mlp_01expand_weight               (H, D)    _bias (H)
 * 02block0_04mlp_02contract_weight             (D, H)    _bias (D)
 * ...                                                    03block1_..., one per layer
 * NNfinalNorm_gamma / _beta                    (D)       NN = layers + 2
 * </pre>
 *
 * <p><b>timm's {@code vit_*} layout</b> (also what OpenCLIP's timm towers and many Hugging Face ViT
 * exports use), with {@code i = 0 .. layers-1}:
 *
 * <pre>
 * patch_embed.proj.weight                      (D, 3, P, P)
 * patch_embed.proj.bias                        (D)
 * pos_embed                                    (1, K + N', D)
 * blocks.i.norm1.weight / .bias                (D)
 * blocks.i.attn.qkv.weight                     (3D, D)   rows: query, then key, then value
 * blocks.i.attn.qkv.bias                       (3D)
 * blocks.i.attn.proj.weight / .bias            (D, D) / (D)
 * blocks.i.norm2.weight / .bias                (D)
 * blocks.i.mlp.fc1.weight / .bias              (H, D) / (H)
 * blocks.i.mlp.fc2.weight / .bias              (D, H) / (D)
 * norm.weight / .bias                          (D)
 * </pre>
 *
 * The fused {@code qkv} projection is split by rows into the separate query, key and value
 * projections. Skipped rule: this encoder has no class token and no classifier, so tensors used
 * only by timm's class token or head are skipped ({@code cls_token}, {@code reg_token}, {@code
 * head.*}, {@code fc_norm.*}, {@code attn_pool.*}); any other tensor the model does not use is an
 * error. The first {@code K} rows of {@code pos_embed} belong to those prefix tokens and are
 * dropped: {@code K} is 1 with a {@code cls_token}, plus the {@code reg_token} count; if the rows
 * without them do not form a square but all rows do ({@code no_embed_class} models), none are
 * dropped. The patch features then differ from the original model's (its patches also attended to
 * the class token), which fine-tuning absorbs. Models with extra pieces this ViT lacks ({@code
 * norm_pre}, {@code q_norm}, layer scale {@code ls1}) fail with those tensors listed as unexpected.
 * LayerNorm epsilon is DJL's 1e-5 (timm uses 1e-6; the difference is negligible).
 *
 * <p>In both layouts, a position-embedding grid of another size {@code g' x g'} is resampled
 * bilinearly to this encoder's {@code g x g} (see {@link PositionGridResampler}), so a checkpoint
 * trained at 224 px loads into an encoder at 336 px. Everything is checked before anything is
 * copied: if any tensor is missing, unexpected or mis-shaped, one {@link WeightMismatchException}
 * lists them all and no parameter changes. Values are converted to the parameters' type.
 */
final class VitCheckpointLoader {

  /** The tensor whose presence marks the timm layout. */
  static final String TIMM_MARKER = TimmVitLayout.MARKER;

  /** timm tensors of the class token and classifier, which this encoder does not have. */
  static final List<String> TIMM_SKIPPED = TimmVitLayout.SKIPPED;

  private static final String OWN_POSITIONS = "positionEmbedding";
  private static final String TIMM_POSITIONS = TimmVitLayout.POSITIONS;

  private final VisionTransformer vit;
  private final int width;
  private final int side;

  /**
   * @param vit the initialised encoder to load into
   */
  VitCheckpointLoader(VisionTransformer vit) {
    this.vit = vit;
    this.width = vit.config().width();
    this.side = vit.config().gridSide();
  }

  /**
   * Loads {@code file}; see the class comment.
   *
   * @throws IOException when the file cannot be read
   * @throws WeightMismatchException listing every problem, before anything is copied
   */
  void load(Path file, NDManager manager) throws IOException {
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      boolean timm = reader.contains(TIMM_MARKER);
      ParameterMapping.Builder direct = ParameterMapping.builder();
      List<Fused> fused = new ArrayList<>();
      String positions;
      if (timm && vit.config().convolutionalStem()) {
        // timm's ViTs patchify; their patch embedding has no place in a convolutional stem
        throw new WeightMismatchException(
            file,
            List.of("the convolutional stem's weights (stem = conv; set stem = patch for timm)"),
            List.of("patch_embed.proj.weight", "patch_embed.proj.bias"),
            List.of());
      }
      if (timm) {
        mapTimm(direct, fused);
        positions = TIMM_POSITIONS;
      } else {
        positions = mapOwn(direct);
      }
      direct.ignore(Pattern.quote(positions));
      for (Fused f : fused) {
        direct.ignore(Pattern.quote(f.name()));
      }
      ParameterMapping mapping = direct.build();

      List<String> missing = new ArrayList<>();
      List<String> unexpected = new ArrayList<>();
      List<String> misshaped = new ArrayList<>();
      try {
        WeightLoader.check(reader, mapping);
      } catch (WeightMismatchException e) {
        missing.addAll(e.missing());
        unexpected.addAll(e.unexpected());
        misshaped.addAll(e.misshaped());
      }
      for (Fused f : fused) {
        if (!reader.contains(f.name())) {
          missing.add(f.name());
        } else if (!reader.info(f.name()).shape().equals(f.fileShape())) {
          misshaped.add(
              f.name()
                  + ": expected "
                  + f.fileShape()
                  + ", found "
                  + reader.info(f.name()).shape());
        }
      }
      int prefixRows = 0;
      if (!reader.contains(positions)) {
        missing.add(positions);
      } else {
        String problem;
        Shape shape = reader.info(positions).shape();
        if (timm) {
          prefixRows = timmPrefixRows(reader, shape);
          problem = prefixRows < 0 ? positionProblem(shape, "(1, K + N', " + width + ")") : null;
        } else {
          boolean fits = shape.dimension() == 2 && shape.get(1) == width && isSquare(shape.get(0));
          problem = fits ? null : positionProblem(shape, "(N', " + width + ")");
        }
        if (problem != null) {
          misshaped.add(positions + ": " + problem);
        }
      }
      if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
        throw new WeightMismatchException(reader.file(), missing, unexpected, misshaped);
      }

      WeightLoader.load(reader, mapping, manager);
      for (Fused f : fused) {
        loadFused(reader, f, manager);
      }
      loadPositions(reader, positions, prefixRows, manager);
    }
  }

  /** Maps every parameter but the position embeddings by its own block name; returns theirs. */
  private String mapOwn(ParameterMapping.Builder direct) {
    String positions = OWN_POSITIONS;
    for (Pair<String, Parameter> p : vit.getParameters()) {
      if (p.getValue() == vit.positionEmbedding()) {
        positions = p.getKey();
      } else {
        direct.put(p.getKey(), p.getValue());
      }
    }
    return positions;
  }

  /** Maps the timm names that are one tensor per parameter; collects the fused qkv ones. */
  private void mapTimm(ParameterMapping.Builder direct, List<Fused> fused) {
    TimmVitLayout layout = new TimmVitLayout(vit);
    layout.mapDirect(direct);
    fused.addAll(layout.fused());
    for (String skipped : TIMM_SKIPPED) {
      direct.ignore(skipped);
    }
  }

  /**
   * The rows of timm's {@code pos_embed} that belong to prefix tokens (see the class comment), or
   * -1 when the shape fits no rule.
   */
  private int timmPrefixRows(SafetensorsReader reader, Shape shape) {
    if (shape.dimension() != 3 || shape.get(0) != 1 || shape.get(2) != width) {
      return -1;
    }
    long rows = shape.get(1);
    long prefix = reader.contains("cls_token") ? 1 : 0;
    if (reader.contains("reg_token")) {
      Shape registers = reader.info("reg_token").shape();
      prefix += registers.dimension() == 3 ? registers.get(1) : 0;
    }
    if (rows > prefix && isSquare(rows - prefix)) {
      return (int) prefix;
    }
    return isSquare(rows) ? 0 : -1;
  }

  private String positionProblem(Shape found, String expected) {
    return "expected "
        + expected
        + " with a square number N' of patch rows (this encoder: "
        + side
        + " x "
        + side
        + " = "
        + (side * side)
        + "), found "
        + found;
  }

  private static boolean isSquare(long n) {
    long root = Math.round(Math.sqrt((double) n));
    return n > 0 && root * root == n;
  }

  /** Splits a fused tensor by rows into its parts, in order. */
  private static void loadFused(SafetensorsReader reader, Fused f, NDManager manager)
      throws IOException {
    try (NDManager scope = manager.newSubManager()) {
      NDArray all = reader.read(f.name(), scope);
      long rows = all.getShape().get(0) / f.parts().length;
      for (int k = 0; k < f.parts().length; k++) {
        NDArray target = f.parts()[k].getArray();
        NDArray part = all.get(k * rows + ":" + (k + 1) * rows);
        copyInto(part, target);
      }
    }
  }

  /** Drops prefix rows, resamples the grid to this encoder's, and copies into the parameter. */
  private void loadPositions(
      SafetensorsReader reader, String name, int prefixRows, NDManager manager) throws IOException {
    try (NDManager scope = manager.newSubManager()) {
      NDArray table = reader.read(name, scope).toType(DataType.FLOAT32, false);
      long rows = table.getShape().get(table.getShape().dimension() - 2);
      table = table.reshape(rows, width).get(prefixRows + ":");
      int fileSide = (int) Math.round(Math.sqrt((double) (rows - prefixRows)));
      NDArray grid =
          fileSide == side ? table : PositionGridResampler.resample(table, fileSide, side);
      copyInto(grid, vit.positionEmbedding().getArray());
    }
  }

  /**
   * Copies values into a parameter's existing storage, converting the type: no autograd
   * involvement, and whatever holds the parameter's array sees the new values.
   */
  private static void copyInto(NDArray values, NDArray target) {
    ParameterValues.overwrite(target, values);
  }
}
