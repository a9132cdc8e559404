package org.mm1lab.plugins.encoders;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.toolkit.weights.ParameterMapping;

/**
 * timm's {@code vit_*} tensor names for a {@link VisionTransformer}'s parameters: the one table
 * that {@link VitCheckpointLoader} reads a timm checkpoint by and {@link
 * VisionTransformer#publishedLayout} writes one by (the names and shapes are listed in {@link
 * VitCheckpointLoader}'s comment).
 *
 * <p>Three kinds of entry: tensors that are one parameter each ({@link #mapDirect}); the fused
 * {@code qkv} projections, one tensor holding the query, key and value parameters as consecutive
 * row blocks ({@link #fused}); and {@link #POSITIONS}, the position embeddings {@code (1, N, D)},
 * which have no class-token row here.
 */
final class TimmVitLayout {

  /** The tensor whose presence marks the timm layout. */
  static final String MARKER = "patch_embed.proj.weight";

  /** The position embeddings' tensor. */
  static final String POSITIONS = "pos_embed";

  /** timm tensors of the class token and classifier, which this encoder does not have. */
  static final List<String> SKIPPED =
      List.of("cls_token", "reg_token", "head\\..*", "fc_norm\\..*", "attn_pool\\..*");

  private final VisionTransformer vit;

  /**
   * @param vit the encoder, with the patchify stem (timm has no place for a convolutional one)
   */
  TimmVitLayout(VisionTransformer vit) {
    this.vit = vit;
  }

  /** Maps the timm names that are one tensor per parameter. */
  void mapDirect(ParameterMapping.Builder direct) {
    mapPair(direct, "patch_embed.proj", vit.patchEmbedding(), "weight", "bias");
    List<TransformerBlock> blocks = vit.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      TransformerBlock block = blocks.get(i);
      String prefix = "blocks." + i + ".";
      mapPair(direct, prefix + "norm1", block.attentionNorm(), "gamma", "beta");
      mapPair(direct, prefix + "attn.proj", block.attention().output(), "weight", "bias");
      mapPair(direct, prefix + "norm2", block.mlpNorm(), "gamma", "beta");
      mapPair(direct, prefix + "mlp.fc1", block.mlp().expand(), "weight", "bias");
      mapPair(direct, prefix + "mlp.fc2", block.mlp().contract(), "weight", "bias");
    }
    mapPair(direct, "norm", vit.finalNorm(), "gamma", "beta");
  }

  /** The fused {@code qkv} tensors of every block, weight then bias. */
  List<Fused> fused() {
    long width = vit.config().width();
    List<Fused> fused = new ArrayList<>();
    List<TransformerBlock> blocks = vit.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      MultiHeadSelfAttention attention = blocks.get(i).attention();
      Block[] parts = {attention.query(), attention.key(), attention.value()};
      String prefix = "blocks." + i + ".attn.qkv.";
      fused.add(
          new Fused(prefix + "weight", new Shape(3 * width, width), parameters(parts, "weight")));
      fused.add(new Fused(prefix + "bias", new Shape(3 * width), parameters(parts, "bias")));
    }
    return fused;
  }

  /** {@code name.weight} and {@code name.bias} to a block's two parameters. */
  private static void mapPair(
      ParameterMapping.Builder direct, String name, Block block, String weight, String bias) {
    direct.put(name + ".weight", block.getParameters().get(weight));
    direct.put(name + ".bias", block.getParameters().get(bias));
  }

  private static Parameter[] parameters(Block[] blocks, String name) {
    Parameter[] out = new Parameter[blocks.length];
    for (int i = 0; i < blocks.length; i++) {
      out[i] = blocks[i].getParameters().get(name);
    }
    return out;
  }

  /**
   * A file tensor split by rows into several parameters.
   *
   * @param name the tensor's name in the file
   * @param fileShape its expected shape
   * @param parts the parameters, in row order
   */
  record Fused(String name, Shape fileShape, Parameter[] parts) {}
}
