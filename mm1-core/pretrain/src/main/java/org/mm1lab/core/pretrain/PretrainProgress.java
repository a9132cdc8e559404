package org.mm1lab.core.pretrain;

/**
 * One logged point of encoder pretraining: a line of {@code metrics.jsonl} and of the progress
 * output.
 *
 * @param step steps completed, 1-based
 * @param steps steps of the whole run
 * @param loss the mean training loss of the steps since the previous logged point
 * @param learningRate the learning rate of this step
 * @param gradientNorm the global gradient norm of this step, before clipping
 * @param imagesPerSecond images trained on per second of wall time since the previous point
 * @param elapsedSeconds wall time since the first step started
 */
public record PretrainProgress(
    int step,
    int steps,
    double loss,
    double learningRate,
    double gradientNorm,
    double imagesPerSecond,
    double elapsedSeconds) {}
