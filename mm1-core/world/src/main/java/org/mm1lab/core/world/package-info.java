/**
 * The built-in synthetic world: scenes of coloured shapes and short written words, generated from a
 * seed, with the paper's four kinds of training data (alt-text captions, dense synthetic captions,
 * interleaved documents, text-only documents) and held-out evaluation sets (captions with 5
 * references, VQA with 10 answers, text-only tasks) plus a disjoint split of in-context shots.
 *
 * <p>Everything is a pure function of {@code (seed, stream, index)}: a source opens at any position
 * in constant time, and the same seed gives the same pixels and texts on every machine. The entry
 * point is {@link org.mm1lab.core.world.SyntheticWorld}; difficulty (image size, object count and
 * size, text size) is {@link org.mm1lab.core.world.WorldSettings}.
 */
package org.mm1lab.core.world;
