/**
 * A run folder and the training loop: {@link org.mm1lab.core.run.RunTraining} starts or resumes a
 * run in its folder, {@link org.mm1lab.core.run.Trainer} runs the steps, logs metrics, writes
 * checkpoints and stops cleanly on a signal, and {@link org.mm1lab.core.run.TrainedModel} loads a
 * finished run or checkpoint back for evaluation and queries.
 */
package org.mm1lab.core.run;
