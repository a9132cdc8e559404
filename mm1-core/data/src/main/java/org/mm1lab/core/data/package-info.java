/**
 * Data: the paper's four kinds of training examples ({@link org.mm1lab.core.data.Example}), the
 * evaluation items, where they come from ({@link org.mm1lab.core.data.DataSource}: the built-in
 * synthetic world or files in real formats), and tokenizers.
 *
 * <p>Sub-packages: {@code world} generates the synthetic world from a seed; {@code formats} reads
 * and writes WebDataset tar shards, JSON Lines documents, COCO captions and VQA files.
 */
package org.mm1lab.core.data;
