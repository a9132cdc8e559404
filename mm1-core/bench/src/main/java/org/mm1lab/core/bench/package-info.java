/**
 * {@code mm1 bench}: how much model this machine trains per second, and where the time and memory
 * go. One run measures, on the engine the model runs on, the matrix-multiply peak, the training
 * step (time, tokens/s, model FLOPs, utilisation, phase split), generation with and without the
 * key/value cache, the data pipeline's throughput, and resident memory; {@link
 * org.mm1lab.core.bench.ScalingBench} repeats the training figures as the batch, sequence, image
 * and image-token sizes grow.
 *
 * <p>What a run measured is {@link org.mm1lab.core.bench.BenchFigures}; {@link
 * org.mm1lab.core.bench.BenchTargets} holds it to its targets; {@link
 * org.mm1lab.core.bench.BenchText} renders both for the terminal and {@link
 * org.mm1lab.core.bench.BenchJson} for {@code --json}. {@link org.mm1lab.core.bench.BenchReport}
 * ties the three together.
 *
 * <p>Benchmarks are measurements, not tests: nothing here asserts a timing.
 */
package org.mm1lab.core.bench;
