/**
 * The built-in decoder-only language models: {@code dense} (Llama-style: RMSNorm, rotary positions,
 * grouped-query attention, SwiGLU) and {@code moe} (the same with mixture-of-experts feed-forward
 * layers and their auxiliary losses), with a key/value cache for generation and Llama-layout
 * safetensors loading.
 */
package org.mm1lab.plugins.decoders;
