/**
 * Reading and writing weights in the <a href="https://github.com/huggingface/safetensors">
 * safetensors</a> format, and loading them into a block's {@link ai.djl.nn.Parameter}s by name, so
 * that plugins can start from published checkpoints. Engine-neutral: DJL's API, and Gson for the
 * header.
 *
 * <p>The format: an 8-byte little-endian unsigned header length {@code n}, {@code n} bytes of UTF-8
 * JSON, then the data buffer. The JSON is a flat object {@code {name: {"dtype": "F32", "shape": [2,
 * 3], "data_offsets": [begin, end]}}} with byte offsets relative to the start of the data buffer,
 * plus an optional {@code "__metadata__"} object of string values. Tensors are stored row-major,
 * little-endian.
 */
package org.mm1lab.toolkit.weights;
