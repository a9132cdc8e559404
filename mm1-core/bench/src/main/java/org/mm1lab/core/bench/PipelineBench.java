package org.mm1lab.core.bench;

import org.mm1lab.core.pipeline.BatchPipeline;
import org.mm1lab.core.pipeline.HostBatch;
import org.mm1lab.core.pipeline.PipelineConfig;
import org.mm1lab.core.pipeline.PipelineState;

/**
 * The data pipeline's own throughput: batches pulled as fast as it prepares them, with no trainer
 * consuming (so it has every core to itself, unlike during training, where it shares them with the
 * engine). The queue's prefetched batches come out first for free, so timing starts only once they
 * have been drained.
 */
final class PipelineBench {

  private PipelineBench() {}

  /**
   * Pulls batches for at least {@code seconds} and at least {@code minBatches} timed batches.
   *
   * @param config the trainer's pipeline configuration
   * @param start the stream position to start at
   * @param seconds the least timed duration
   * @param minBatches the least number of timed batches
   */
  static Result run(PipelineConfig config, PipelineState start, double seconds, int minBatches) {
    try (BatchPipeline pipeline = new BatchPipeline(config, start)) {
      // drain what was prefetched while the pipeline started, plus one batch to reach steady state
      for (int i = 0; i <= config.prefetch(); i++) {
        pipeline.next();
      }
      long begin = System.nanoTime();
      long images = 0;
      long tokens = 0;
      int batches = 0;
      double elapsed = 0;
      while (elapsed < seconds || batches < minBatches) {
        HostBatch batch = pipeline.next();
        images += batch.imageCount();
        tokens += batch.realTokens();
        batches++;
        elapsed = (System.nanoTime() - begin) / 1e9;
      }
      return new Result(batches, images, tokens, elapsed, config.workers());
    }
  }

  /**
   * What the pipeline prepared.
   *
   * @param batches batches timed
   * @param images images decoded and preprocessed in them
   * @param tokens real tokens laid out in them
   * @param seconds the time they took
   * @param workers image worker threads
   */
  record Result(int batches, long images, long tokens, double seconds, int workers) {

    double batchesPerSecond() {
      return batches / seconds;
    }

    double imagesPerSecond() {
      return images / seconds;
    }
  }
}
