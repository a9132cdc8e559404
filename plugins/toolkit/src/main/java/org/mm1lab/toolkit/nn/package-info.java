/**
 * The transformer building blocks that the built-in encoders, connectors and decoders share, for
 * any plugin that writes attention out by hand (DJL has no fused attention): moving heads between
 * the feature axis and an axis of their own ({@link org.mm1lab.toolkit.nn.AttentionHeads}), the
 * scaled dot-product itself with an additive bias and grouped-query heads ({@link
 * org.mm1lab.toolkit.nn.ScaledDotProductAttention}), masks of allowed pairs and the bias they
 * become ({@link org.mm1lab.toolkit.nn.AttentionMasks}), the query/key/value/output projections of
 * a self-attention block ({@link org.mm1lab.toolkit.nn.ProjectedSelfAttention}), the pre-norm
 * residual step ({@link org.mm1lab.toolkit.nn.PreNormResidual}), running a block on one array
 * ({@link org.mm1lab.toolkit.nn.Blocks}), SiLU ({@link org.mm1lab.toolkit.nn.Activations}), and the
 * parameter store of mixed-precision training ({@link org.mm1lab.toolkit.nn.MixedPrecisionStore}).
 * Softmax and norms run in float32 whatever the activations' type.
 *
 * <p>Shapes are written with {@code B} the batch, {@code H} the query heads, {@code H_kv} the
 * key/value heads, {@code L} the query positions, {@code S} the key positions and {@code hd} the
 * width of one head. Every function here is differentiable where its inputs are, leaves its results
 * in the manager of its inputs as DJL's own operators do (so that the caller's scopes free them),
 * and multiplies by constants only through {@link org.mm1lab.toolkit.arrays.Scalars}.
 *
 * <p>What is deliberately not here: the blocks that own parameters under names that checkpoints
 * record stay with their plugins, except {@link org.mm1lab.toolkit.nn.ProjectedSelfAttention},
 * whose child names are fixed ({@code query}, {@code key}, {@code value}, {@code output}) so that a
 * subclass has exactly the parameters its own four projections would have had.
 */
package org.mm1lab.toolkit.nn;
