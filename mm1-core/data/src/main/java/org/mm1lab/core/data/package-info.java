/**
 * Data: the paper's four kinds of training examples ({@link org.mm1lab.core.data.Example}), the
 * evaluation items, where they come from ({@link org.mm1lab.core.data.DataSource}: the built-in
 * synthetic world or files in real formats), and tokenizers.
 *
 * <p>The sub-package {@code formats} reads and writes WebDataset tar shards, JSON Lines documents,
 * COCO captions and VQA files; the synthetic world is a module above this one ({@code
 * org.mm1lab.core.world}).
 */
package org.mm1lab.core.data;
