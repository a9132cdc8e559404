/**
 * The MM1 Lab service-provider interface: everything a plugin jar needs, and nothing else.
 *
 * <p>A plugin jar contains one {@link org.mm1lab.api.Mm1Plugin} implementation, named in {@code
 * META-INF/services/org.mm1lab.api.Mm1Plugin}, that returns named factories for any of the four
 * families the MM1 paper ablated:
 *
 * <ul>
 *   <li>{@link org.mm1lab.api.ImageEncoder}: pixels {@code (B, 3, H, W)} to patch features {@code
 *       (B, N, D_enc)} on a known {@link org.mm1lab.api.PatchGrid};
 *   <li>{@link org.mm1lab.api.VLConnector}: patch features to {@code T} image tokens {@code (B, T,
 *       D_llm)} in the decoder's width;
 *   <li>{@link org.mm1lab.api.Decoder}: a decoder-only LLM whose image-slot positions are filled
 *       with connector outputs;
 *   <li>{@link org.mm1lab.api.DataMixer}: which data source the next training example comes from.
 * </ul>
 *
 * <p>Each factory's defaults live in its jar's {@code reference.conf} under {@code
 * mm1-plugin-defaults.<family>.<name>}; the host merges a run file's component section over them,
 * rejects keys the defaults do not declare, and hands the result to the factory as {@link
 * org.mm1lab.api.Options}. The package depends only on DJL's engine-neutral API ({@code
 * ai.djl:api}): no Guice, no configuration library, no engine classes.
 *
 * <p>Contracts only: code that plugins may share beyond these interfaces (safetensors weights,
 * constants in differentiable code, the {@code Options} implementation) lives in the plugin toolkit
 * ({@code org.mm1lab.toolkit}), an ordinary library. Every change here is checked against the last
 * released API for binary and source compatibility, except for parts marked {@link
 * org.mm1lab.api.Experimental}.
 *
 * @since 1.0
 */
package org.mm1lab.api;
