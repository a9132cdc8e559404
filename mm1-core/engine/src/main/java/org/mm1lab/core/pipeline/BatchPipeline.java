package org.mm1lab.core.pipeline;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.ImageConversions;
import org.mm1lab.core.data.ImageSource;
import org.mm1lab.core.data.Tokenizer;

/**
 * The training data pipeline: a planner thread fixes each batch's examples in order, worker threads
 * decode and preprocess its images, and a bounded queue holds the next few batches so the trainer
 * does not wait. Batches come out in plan order whatever the number of workers, so a run is
 * repeatable. An image that cannot be decoded is counted and its row carries no loss; past {@code
 * maxBadFraction} of images the run stops with a clear error.
 */
public final class BatchPipeline implements AutoCloseable {

  private static final int MIN_IMAGES_FOR_FRACTION = 20;

  private final BatchPlanner planner;
  private final ImagePreprocessor preprocessor;
  private final Tokenizer tokenizer;
  private final int sequenceLength;
  private final double maxBadFraction;
  private final ExecutorService workers;
  private final Thread plannerThread;
  private final BlockingQueue<CompletableFuture<HostBatch>> ready;
  private final AtomicLong imagesSeen = new AtomicLong();
  private final AtomicLong imagesBad = new AtomicLong();
  private final ImageConversions imageConversions = new ImageConversions();
  private final List<String> badReasons = new ArrayList<>();
  private volatile boolean closed;

  /**
   * Starts the pipeline at a position.
   *
   * @param config the sources, mixer, builder and sizes
   * @param start where to start, {@link PipelineState#start} for a new run
   */
  public BatchPipeline(PipelineConfig config, PipelineState start) {
    this.planner =
        new BatchPlanner(
            config.sources(),
            config.mixer(),
            config.builder(),
            config.batchSize(),
            config.packing(),
            start);
    this.preprocessor = config.preprocessor();
    this.tokenizer = config.tokenizer();
    this.sequenceLength = config.builder().maxLength();
    this.maxBadFraction = config.maxBadFraction();
    this.ready = new ArrayBlockingQueue<>(config.prefetch());
    this.workers = Executors.newFixedThreadPool(config.workers(), daemon("mm1-data-worker"));
    this.plannerThread = daemon("mm1-data-planner").newThread(this::planLoop);
    plannerThread.start();
  }

  /** The next batch, waiting for it if needed. */
  public HostBatch next() {
    CompletableFuture<HostBatch> future;
    try {
      future = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    }
    HostBatch batch;
    try {
      batch = future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    checkBadImages();
    return batch;
  }

  /** Images decoded so far (good and bad). */
  public long imagesSeen() {
    return imagesSeen.get();
  }

  /** Images that could not be decoded so far. */
  public long imagesBad() {
    return imagesBad.get();
  }

  /** What decoding changed in the images so far (CMYK, 16-bit, transparency, orientation). */
  public ImageConversions imageConversions() {
    return imageConversions;
  }

  private void checkBadImages() {
    long seen = imagesSeen.get();
    long bad = imagesBad.get();
    if (seen >= MIN_IMAGES_FOR_FRACTION && bad > maxBadFraction * seen) {
      String first;
      synchronized (badReasons) {
        first = badReasons.isEmpty() ? "" : "; first: " + badReasons.get(0);
      }
      throw new UserException(
          String.format(
              "%d of %d images could not be decoded (more than the allowed %.1f%%)%s. Fix the data"
                  + " or raise mm1.data.max-bad-fraction",
              bad, seen, 100 * maxBadFraction, first));
    }
  }

  private void planLoop() {
    try {
      while (!closed) {
        CompletableFuture<HostBatch> future;
        try {
          future = build(planner.next());
        } catch (RuntimeException e) {
          future = CompletableFuture.failedFuture(e);
          ready.put(future);
          return;
        }
        ready.put(future);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lays out the tokens now and hands each image to a worker. */
  private CompletableFuture<HostBatch> build(BatchPlanner.Plan plan) {
    int batchSize = plan.rows().size();
    int length = sequenceLength;
    int imageCount = 0;
    for (List<TokenSequence> row : plan.rows()) {
      for (TokenSequence sequence : row) {
        imageCount += sequence.images().size();
      }
    }
    HostBatch batch =
        new HostBatch(batchSize, length, imageCount, preprocessor.size(), plan.stateAfter());
    List<ImageSource> images = new ArrayList<>(imageCount);
    List<Integer> imageRows = new ArrayList<>(imageCount);
    for (int row = 0; row < batchSize; row++) {
      int offset = row * length;
      int position = 0;
      boolean[] target = new boolean[length];
      java.util.Arrays.fill(batch.tokens, offset, offset + length, tokenizer.padId());
      for (TokenSequence sequence : plan.rows().get(row)) {
        for (int i = 0; i < sequence.length(); i++, position++) {
          batch.tokens[offset + position] = sequence.tokens()[i];
          batch.attentionMask[offset + position] = 1;
          batch.imageSlots[offset + position] = sequence.imageSlot()[i] ? 1 : 0;
          target[position] = sequence.target()[i];
        }
        for (ImageSource image : sequence.images()) {
          images.add(image);
          imageRows.add(row);
        }
      }
      for (int i = 0; i + 1 < position; i++) {
        batch.labels[offset + i] = batch.tokens[offset + i + 1];
        batch.lossMask[offset + i] = target[i + 1] ? 1f : 0f;
      }
    }
    // Only now, with every row's loss mask written, may a worker clear a row for a bad image.
    CompletableFuture<?>[] work = new CompletableFuture<?>[images.size()];
    for (int i = 0; i < work.length; i++) {
      work[i] = preprocess(images.get(i), batch, i, imageRows.get(i));
    }
    return CompletableFuture.allOf(work).thenApply(done -> batch);
  }

  private CompletableFuture<Void> preprocess(
      ImageSource image, HostBatch batch, int index, int row) {
    return CompletableFuture.runAsync(
        () -> {
          imagesSeen.incrementAndGet();
          try {
            BufferedImage decoded = image.decode(preprocessor.size(), imageConversions);
            preprocessor.process(decoded, batch.pixels, index * preprocessor.floatsPerImage());
          } catch (java.io.IOException | RuntimeException e) {
            imagesBad.incrementAndGet();
            synchronized (badReasons) {
              if (badReasons.size() < 10) {
                badReasons.add(e.getMessage());
              }
            }
            synchronized (batch) {
              batch.badImages++;
              int offset = row * batch.sequenceLength;
              java.util.Arrays.fill(batch.lossMask, offset, offset + batch.sequenceLength, 0f);
            }
          }
        },
        workers);
  }

  @Override
  public void close() {
    closed = true;
    plannerThread.interrupt();
    try {
      plannerThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    planner.close();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
