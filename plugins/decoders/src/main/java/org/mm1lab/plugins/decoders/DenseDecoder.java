package org.mm1lab.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.DecoderOutput;
import org.mm1lab.api.KeyValueCache;
import org.mm1lab.toolkit.arrays.Precision;
import org.mm1lab.toolkit.nn.AttentionMasks;
import org.mm1lab.toolkit.nn.ScaledDotProductAttention;
import org.mm1lab.toolkit.weights.LayoutExport;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.PublishedLayout;
import org.mm1lab.toolkit.weights.WeightLoader;

/**
 * A dense decoder-only transformer in the Llama style, the MM1 paper's dense LLM: token embedding,
 * image-slot filling, {@code layers} pre-norm blocks (RMSNorm, causal self-attention with rotary
 * positions and optional grouped-query attention, RMSNorm, SwiGLU), a final RMSNorm and an output
 * head that is the transposed embedding matrix (tied) or a separate {@code (V, D)} matrix.
 *
 * <p>Shape contract of {@link #decode} (see {@link DecoderInput}): tokens and attention mask {@code
 * (B, L)}, optional image slots {@code (B, L)} and image tokens {@code (M, T, D)}; logits {@code
 * (B, L, V)} float. As a plain {@link ai.djl.nn.Block} its inputs are {@code tokens,
 * attentionMask[, imageSlots, imageTokens]} and its output the logits; initialise it with the
 * tokens' shape {@code (B, L)}.
 *
 * <p>Positions. Each row's rotary position is the number of real (unmasked) tokens before it in
 * that row, cached ones included, so a left-padded row is positioned exactly like the same row
 * without padding; for unpadded rows this is simply the index, continuing from the cache length.
 * Padding keys are never attended to; padding queries produce logits that mean nothing.
 *
 * <p>Image slots. Before the first layer, the {@code M * T} positions where {@code imageSlots} is 1
 * take the image-token vectors in row-major slot order; their token ids are ignored (they may be
 * any value, even outside the vocabulary).
 *
 * <p>Pretrained weights. {@link #loadPretrained} (for the {@code checkpoint} option) or {@link
 * #loadLlamaCheckpoint} copies a safetensors checkpoint in the Hugging Face Llama layout into the
 * initialised parameters. Expected tensors, with {@code N = 0 .. layers-1}, {@code hd = D / H} and
 * Linear weights stored {@code (out, in)} as both Hugging Face and DJL store them:
 *
 * <pre>
 * model.embed_tokens.weight                        (V, D)
 * model.layers.N.input_layernorm.weight            (D)
 * model.layers.N.self_attn.q_proj.weight           (H*hd, D)
 * model.layers.N.self_attn.k_proj.weight           (H_kv*hd, D)
 * model.layers.N.self_attn.v_proj.weight           (H_kv*hd, D)
 * model.layers.N.self_attn.o_proj.weight           (D, H*hd)
 * model.layers.N.post_attention_layernorm.weight   (D)
 * model.layers.N.mlp.gate_proj.weight              (F, D)
 * model.layers.N.mlp.up_proj.weight                (F, D)
 * model.layers.N.mlp.down_proj.weight              (D, F)
 * model.norm.weight                                (D)
 * lm_head.weight                                   (V, D)   only when tie-embeddings = false
 * </pre>
 *
 * Tensors named {@code *.rotary_emb.inv_freq} (older exports) are ignored. The rotary embedding is
 * Hugging Face's "rotate half" form with the same frequencies, heads are laid out {@code (H, hd)}
 * along the projection outputs and query head {@code h} uses key/value head {@code h / (H / H_kv)},
 * as in {@code transformers}' Llama, so its checkpoints load without permuting rows; set {@code
 * rope-base} ({@code rope_theta}) and {@code norm-eps} ({@code rms_norm_eps}) from the checkpoint's
 * config. Rotary scaling variants (Llama 3.1's {@code rope_scaling}) are not implemented.
 *
 * <p>Export. {@link #publishedLayout} hands out the same tensors under the same names, with the
 * {@code config.json} fields of {@code transformers}' {@code LlamaConfig} that describe this model
 * ({@code hidden_act = silu}, no attention or MLP biases, {@code rope_scaling = null}), so that
 * {@code LlamaForCausalLM} computes what this decoder computes.
 */
public sealed class DenseDecoder extends AbstractBlock implements Decoder, PublishedLayout
    permits MoeDecoder {

  /** Standard deviation of initial weights (GPT-2, Llama). */
  static final float INIT_STD = 0.02f;

  /** Column {@code -1} of a {@code (B, L)} array, parsed once rather than per call. */
  private static final NDIndex LAST_POSITION = new NDIndex(":, -1");

  private final DenseDecoderSpec spec;
  private final String checkpoint;
  private final RotaryEmbedding rotary;
  private final Parameter embedding;
  private final Parameter head;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final RmsNorm finalNorm;

  /**
   * Builds the (uninitialised) decoder; sizes are assumed valid, see {@link DenseDecoderFactory}.
   */
  public DenseDecoder(DenseDecoderSpec spec) {
    this(spec, "");
  }

  /**
   * Builds the (uninitialised) decoder that {@link #loadPretrained} fills from {@code checkpoint}.
   *
   * @param checkpoint a safetensors file in the Llama layout, or {@code ""} for none
   */
  public DenseDecoder(DenseDecoderSpec spec, String checkpoint) {
    this(spec, checkpoint, null);
  }

  /**
   * The constructor of {@link MoeDecoder}, which supplies its own feed-forward blocks.
   *
   * @param feedForwards for layer {@code i}, its feed-forward's child name and block, or {@code
   *     null} entries (and a {@code null} function) for a dense SwiGLU
   */
  DenseDecoder(
      DenseDecoderSpec spec,
      String checkpoint,
      IntFunction<Map.Entry<String, FeedForwardBlock>> feedForwards) {
    this.spec = spec;
    this.checkpoint = checkpoint == null ? "" : checkpoint;
    this.rotary = new RotaryEmbedding(spec.headDim(), spec.ropeBase());
    Shape table = new Shape(spec.vocabularySize(), spec.width());
    embedding =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(table)
                .optInitializer(new NormalInitializer(INIT_STD))
                .build());
    for (int i = 0; i < spec.layers(); i++) {
      Map.Entry<String, FeedForwardBlock> ffn = feedForwards == null ? null : feedForwards.apply(i);
      TransformerLayer layer =
          ffn == null
              ? new TransformerLayer(i, spec, rotary)
              : new TransformerLayer(i, spec, rotary, ffn.getKey(), ffn.getValue());
      layers.add(addChildBlock("layer-" + i, layer));
    }
    finalNorm = addChildBlock("final-norm", new RmsNorm(spec.width(), spec.normEps()));
    head =
        spec.tieEmbeddings()
            ? null
            : addParameter(
                Parameter.builder()
                    .setName("head")
                    .setType(Parameter.Type.WEIGHT)
                    .optShape(table)
                    .optInitializer(new NormalInitializer(INIT_STD))
                    .build());
  }

  /** A bias-free linear projection to {@code units} with N(0, std) initial weights. */
  static Linear projection(int units, float std) {
    Linear linear = Linear.builder().setUnits(units).optBias(false).build();
    linear.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
    return linear;
  }

  /** The validated sizes this decoder was built with. */
  public DenseDecoderSpec spec() {
    return spec;
  }

  @Override
  public int width() {
    return spec.width();
  }

  @Override
  public int vocabularySize() {
    return spec.vocabularySize();
  }

  @Override
  public KeyValueCache newCache(NDManager manager, int batchSize) {
    return new DenseKeyValueCache(this, manager, batchSize, spec.layers());
  }

  @Override
  public DecoderOutput decode(
      ParameterStore parameterStore, DecoderInput input, KeyValueCache cache, boolean training) {
    NDArray tokens = input.tokens();
    Shape shape = tokens.getShape();
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException("tokens must be (B, L), got " + shape);
    }
    requireShape("attentionMask", input.attentionMask(), shape);
    DenseKeyValueCache kv = null;
    if (cache != null) {
      if (!(cache instanceof DenseKeyValueCache denseKeyValueCache)) {
        throw new IllegalArgumentException(
            "a dense decoder needs its own cache from newCache, got " + cache.getClass().getName());
      }
      kv = denseKeyValueCache;
      kv.checkUsableBy(this, shape.get(0));
    }
    NDArray h = embed(parameterStore, input, training);
    boolean unpadded = kv != null && kv.unpaddedWith(input.attentionMask());
    AttentionContext context =
        unpadded
            ? unpaddedContext(rotary, input.attentionMask(), kv)
            : context(rotary, input.attentionMask(), kv);
    for (TransformerLayer layer : layers) {
      h = layer.apply(parameterStore, h, context, training);
    }
    NDArray positions = input.logitPositions();
    if (positions != null) {
      // Only the listed rows go through the final norm and the head: in a multimodal training
      // batch most positions are image slots or padding without a target, and the head is the
      // largest product of a small model (the norm is per row, so selecting first is exact).
      h = h.reshape(-1, spec.width()).get(positions.toType(DataType.INT64, false));
    }
    h = finalNorm.normalize(parameterStore, h, training);
    NDArray table =
        parameterStore.getValue(spec.tieEmbeddings() ? embedding : head, h.getDevice(), training);
    // h W^T as one product, created in h's manager: no transposed view of the table left in the
    // parameters' manager on every call
    NDArray logits = h.getNDArrayInternal().linear(h, table, null).singletonOrThrow();
    if (unpadded) {
      kv.commitUnpadded(shape.get(1));
    } else if (kv != null) {
      kv.commit(context.mask(), context.realCounts());
    }
    return output(logits, context);
  }

  /** The call's result from its logits; a mixture of experts adds its losses and statistics. */
  DecoderOutput output(NDArray logits, AttentionContext context) {
    return DecoderOutput.of(logits);
  }

  /** The layers, in order. */
  List<TransformerLayer> layers() {
    return layers;
  }

  /** The configured checkpoint path, or {@code ""} when none is configured. */
  public String checkpoint() {
    return checkpoint;
  }

  /**
   * Loads the configured {@code checkpoint} into the parameters, if one is configured. Call it
   * once, after {@link #initialize} and before training or generation; the host does this for a
   * run. Relative paths are resolved against the working directory.
   *
   * @param manager temporaries live in a sub-manager of it, freed before returning
   * @return whether a checkpoint was loaded ({@code false} when the option is empty)
   * @throws UncheckedIOException when the file cannot be read or is not valid safetensors
   * @throws org.mm1lab.toolkit.weights.WeightMismatchException listing every missing, unexpected
   *     and mis-shaped tensor, when the file does not fit this model's sizes
   */
  @Override
  public boolean loadPretrained(NDManager manager) {
    if (checkpoint.isEmpty()) {
      return false;
    }
    loadLlamaCheckpoint(Path.of(checkpoint), manager);
    return true;
  }

  /**
   * Loads a safetensors file in the Llama layout (see the class comment) into the initialised
   * parameters; nothing changes unless every tensor fits.
   *
   * @throws UncheckedIOException when the file cannot be read or is not valid safetensors
   * @throws org.mm1lab.toolkit.weights.WeightMismatchException listing every problem at once
   */
  public void loadLlamaCheckpoint(Path file, NDManager manager) {
    try {
      WeightLoader.load(file, llamaLayout(), manager);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The Hugging Face Llama tensor names of this model's parameters (see the class comment), for
   * {@link WeightLoader} or for writing a checkpoint in that layout.
   */
  public ParameterMapping llamaLayout() {
    ParameterMapping.Builder mapping = ParameterMapping.builder();
    mapping.put("model.embed_tokens.weight", embedding);
    for (int i = 0; i < layers.size(); i++) {
      TransformerLayer layer = layers.get(i);
      String prefix = "model.layers." + i + ".";
      mapping.put(prefix + "input_layernorm.weight", layer.attentionNorm().gain());
      CausalSelfAttention attention = layer.attention();
      mapping.put(prefix + "self_attn.q_proj.weight", weight(attention.query()));
      mapping.put(prefix + "self_attn.k_proj.weight", weight(attention.key()));
      mapping.put(prefix + "self_attn.v_proj.weight", weight(attention.value()));
      mapping.put(prefix + "self_attn.o_proj.weight", weight(attention.output()));
      mapping.put(prefix + "post_attention_layernorm.weight", layer.feedForwardNorm().gain());
      mapFeedForward(mapping, prefix, layer.feedForward());
    }
    mapping.put("model.norm.weight", finalNorm.gain());
    if (head != null) {
      mapping.put("lm_head.weight", head);
    }
    mapping.ignore(".*\\.rotary_emb\\.inv_freq");
    return mapping.build();
  }

  /**
   * This decoder as a Hugging Face {@code LlamaForCausalLM}: the tensors of {@link #llamaLayout()}
   * and the {@code LlamaConfig} fields of its sizes. {@code max_position_embeddings}, {@code
   * bos_token_id}, {@code eos_token_id} and {@code pad_token_id} belong to the run (its sequence
   * length and tokenizer) and are left for the host to add.
   */
  @Override
  public LayoutExport publishedLayout(NDManager manager) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architectures", List.of("LlamaForCausalLM"));
    config.put("model_type", "llama");
    config.put("hidden_size", spec.width());
    config.put("intermediate_size", spec.ffn());
    config.put("num_hidden_layers", spec.layers());
    config.put("num_attention_heads", spec.heads());
    config.put("num_key_value_heads", spec.kvHeads());
    config.put("head_dim", spec.headDim());
    config.put("hidden_act", "silu");
    // the float as written in the run file (1e-5), not its binary widening (9.99999974e-6)
    config.put("rms_norm_eps", Double.parseDouble(Float.toString(spec.normEps())));
    config.put("rope_theta", spec.ropeBase());
    config.put("rope_scaling", null);
    config.put("vocab_size", spec.vocabularySize());
    config.put("tie_word_embeddings", spec.tieEmbeddings());
    config.put("attention_bias", false);
    config.put("mlp_bias", false);
    config.put("attention_dropout", 0.0);
    config.put("initializer_range", Double.parseDouble(Float.toString(INIT_STD)));
    config.put("pretraining_tp", 1);
    config.put("use_cache", true);
    config.put("torch_dtype", "float32");
    return new LayoutExport("llama", LayoutExport.arraysOf(llamaLayout()), config, List.of());
  }

  /** Maps one layer's feed-forward; {@code prefix} is {@code model.layers.N.}. */
  void mapFeedForward(ParameterMapping.Builder mapping, String prefix, FeedForwardBlock block) {
    SwiGluFeedForward ffn = (SwiGluFeedForward) block;
    mapping.put(prefix + "mlp.gate_proj.weight", weight(ffn.gate()));
    mapping.put(prefix + "mlp.up_proj.weight", weight(ffn.up()));
    mapping.put(prefix + "mlp.down_proj.weight", weight(ffn.down()));
  }

  /** A bias-free linear's {@code (out, in)} weight. */
  static Parameter weight(Linear linear) {
    return linear.getParameters().get("weight");
  }

  /** Token embeddings {@code (B, L, D)} with the image slots filled with image tokens. */
  private NDArray embed(ParameterStore ps, DecoderInput input, boolean training) {
    NDArray tokens = input.tokens();
    NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
    NDArray ids = tokens.toType(DataType.INT64, false);
    NDArray slots = input.imageSlots();
    if (slots == null) {
      return lookup(ids, table);
    }
    requireShape("imageSlots", slots, tokens.getShape());
    NDArray images = input.imageTokens();
    Shape imageShape = images.getShape();
    if (imageShape.dimension() != 3 || imageShape.get(2) != spec.width()) {
      throw new IllegalArgumentException(
          "imageTokens must be (M, T, " + spec.width() + "), got " + imageShape);
    }
    NDArray isSlot = slots.toType(DataType.INT64, false).gt(0); // (B, L) boolean
    NDArray slotIndicator = isSlot.toType(DataType.INT64, false);
    // the image-slot id is ignored: look up id 0 there instead, so any value is accepted
    NDArray h = lookup(ids.mul(slotIndicator.sub(1).neg()), table);
    long vectors = imageShape.get(0) * imageShape.get(1);
    long slotCount = slotIndicator.sum().getLong();
    if (slotCount != vectors) {
      throw new IllegalArgumentException(
          "imageSlots marks "
              + slotCount
              + " positions but imageTokens holds "
              + imageShape.get(0)
              + " x "
              + imageShape.get(1)
              + " = "
              + vectors
              + " vectors; they must match");
    }
    if (vectors == 0) {
      return h;
    }
    Shape hidden = h.getShape();
    long positions = hidden.get(0) * hidden.get(1);
    // The k-th slot in row-major order takes image vector k: k = (running count of slots) - 1.
    // A gather then a select keeps it differentiable in both the embeddings and the image tokens.
    NDArray flatSlots = slotIndicator.reshape(positions);
    NDArray order = flatSlots.cumSum(0).sub(1).clip(0, vectors - 1);
    NDArray gathered = lookup(order, Precision.like(images.reshape(vectors, spec.width()), h));
    NDArray select = isSlot.reshape(positions, 1).broadcast(positions, spec.width());
    return NDArrays.where(select, gathered, h.reshape(positions, spec.width())).reshape(hidden);
  }

  /** Rows of {@code table} {@code (N, D)} at int64 {@code ids} of any shape: {@code (..., D)}. */
  private static NDArray lookup(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * The rotary angles, attention bias, and mask bookkeeping for {@code L} new positions after the
   * cached ones.
   *
   * @param rotary the rotary embedding
   * @param attentionMask {@code (B, L)} 1 for real tokens, 0 for padding
   * @param cache the cache being extended, or {@code null} for a full pass
   */
  static AttentionContext context(
      RotaryEmbedding rotary, NDArray attentionMask, DenseKeyValueCache cache) {
    NDManager manager = attentionMask.getManager();
    NDArray newMask =
        attentionMask.toType(DataType.FLOAT32, false).gt(0).toType(DataType.FLOAT32, false);
    long length = newMask.getShape().get(1);
    NDArray pastCounts = cache == null ? null : cache.realCounts();
    NDArray fullMask = DenseKeyValueCache.join(cache == null ? null : cache.mask(), newMask);

    // position = real tokens before this one in the row; clamped for leading padding
    NDArray running = newMask.cumSum(1);
    NDArray counts = running.get(LAST_POSITION);
    NDArray positions = running.sub(1);
    if (pastCounts != null) {
      counts = counts.add(pastCounts);
      // a view of a cached array would belong to the cache's manager: move it to this call's
      NDArray pastColumn = pastCounts.expandDims(1);
      pastColumn.attach(manager);
      positions = positions.add(pastColumn);
    }
    positions = positions.maximum(0f);
    // the attention's 1/sqrt(hd) score scale rides on the queries' rotation
    RotaryEmbedding.Rotation rotation =
        rotary.angles(positions, ScaledDotProductAttention.scale(rotary.headDim()));

    // query i, after the cached positions, may see key j when j is not after it and not padding
    NDArray allowed = AttentionMasks.causal(fullMask, length); // (B, L, cached + L)
    NDArray bias = AttentionMasks.forHeads(AttentionMasks.additiveBias(allowed));
    return new AttentionContext(
        rotation, bias, fullMask, counts, cache, newMask, new ArrayList<>());
  }

  /**
   * The context of a call that extends an unpadded cache with real tokens only (see {@link
   * DenseKeyValueCache#unpaddedWith}): what {@link #context} computes for it, without its some
   * forty small operations. Every row's positions continue from the cache's length, so the rotation
   * is a slice of the cache's table; one new position may attend to every key, so it needs no bias
   * at all (adding a bias of zeros changes no score); several need only the causal part of the
   * mask. The mask and counts are left {@code null}: the cache keeps its length instead ({@link
   * DenseKeyValueCache#commitUnpadded}).
   *
   * @param rotary the rotary embedding
   * @param attentionMask {@code (B, L)}, every entry a real token
   * @param cache the unpadded cache being extended
   */
  static AttentionContext unpaddedContext(
      RotaryEmbedding rotary, NDArray attentionMask, DenseKeyValueCache cache) {
    NDManager manager = attentionMask.getManager();
    Shape shape = attentionMask.getShape();
    long length = shape.get(1);
    RotaryEmbedding.Rotation rotation =
        cache.rotation(
            rotary, ScaledDotProductAttention.scale(rotary.headDim()), length, attentionMask);
    NDArray bias = null;
    if (length > 1) {
      // (1, 1, L, S): the same causal entries for every row
      NDArray keys = manager.ones(new Shape(1, cache.length() + length));
      bias =
          AttentionMasks.forHeads(AttentionMasks.additiveBias(AttentionMasks.causal(keys, length)));
    }
    NDArray newMask = manager.ones(shape);
    return new AttentionContext(rotation, bias, null, null, cache, newMask, new ArrayList<>());
  }

  private static void requireShape(String name, NDArray array, Shape expected) {
    if (!array.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          name + " must have the tokens' shape " + expected + ", got " + array.getShape());
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    DecoderInput input =
        inputs.size() >= 4
            ? new DecoderInput(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3))
            : DecoderInput.text(inputs.get(0), inputs.get(1));
    return new NDList(decode(parameterStore, input, null, training).logits());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape tokens = inputShapes[0];
    return new Shape[] {new Shape(tokens.get(0), tokens.get(1), spec.vocabularySize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    Shape hidden = new Shape(tokens.get(0), tokens.get(1), spec.width());
    for (TransformerLayer layer : layers) {
      layer.initialize(manager, dataType, hidden, tokens);
    }
    finalNorm.initialize(manager, dataType, hidden);
  }
}
