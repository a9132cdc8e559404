/**
 * Evaluation as the MM1 paper did it: zero- and few-shot prompts from templates, greedy batched
 * generation over the key/value cache, and the scores of each task ({@code caption}: CIDEr-D,
 * {@code vqa}: VQA accuracy, {@code text-core}: exact match) on the world's held-out sets or on
 * COCO, VQA and text-task files; the results, predictions and examples a run folder keeps.
 */
package org.mm1lab.core.eval;
