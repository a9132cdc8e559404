/**
 * Evaluation metrics as the paper's tables report them, in pure Java so that they can be checked
 * without an engine: {@link org.mm1lab.core.eval.metrics.CiderD} for captioning, {@link
 * org.mm1lab.core.eval.metrics.VqaAccuracy} for visual question answering and {@link
 * org.mm1lab.core.eval.metrics.ExactMatch} for the text-only tasks. Each follows its reference
 * implementation's arithmetic, quirks included, so that numbers are comparable with published ones;
 * where a quirk is kept, the class documentation says so.
 */
package org.mm1lab.core.eval.metrics;
