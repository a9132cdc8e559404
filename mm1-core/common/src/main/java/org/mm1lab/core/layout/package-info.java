/**
 * Where everything a run leaves on disk lives: {@link org.mm1lab.core.layout.RunLayout} names each
 * file and folder of a run folder, of an encoder pretraining and of an ablation, and the keys of
 * {@code metrics.jsonl}. It sits in the lowest module so that every writer (training, evaluation,
 * the report, pretraining, ablations) and every reader (resume, {@code mm1 eval}, {@code mm1
 * report}, the ablation comparison) spells them from the same place.
 */
package org.mm1lab.core.layout;
