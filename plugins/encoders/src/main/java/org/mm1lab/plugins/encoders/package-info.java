/**
 * The built-in image encoders: Vision Transformers ({@code clip-vit}, {@code aim-vit}) with their
 * pretraining objectives (CLIP's contrastive loss with a small text tower, AIM's next-patch pixel
 * regression under prefix attention), and loading of their own and timm's checkpoints, with
 * position embeddings resampled to a new resolution.
 */
package org.mm1lab.plugins.encoders;
