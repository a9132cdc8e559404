package org.mm1lab.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's practical peak: the FLOP/s of a large square matrix product on the engine, the best
 * of several after a warm-up. MFU divides the model's FLOP/s by the float32 peak, so both come from
 * the same engine, threads and device in the same process. {@code mm1 bench} measures it before and
 * after the training steps and keeps the higher: on a shared machine one round alone varied by a
 * fifth between runs. The float16 peak is measured beside it: it is what mixed-precision training
 * can reach on a GPU's tensor cores, and on a CPU without half-precision kernels it shows how far
 * below float32 such training would run.
 */
public final class MatmulPeak {

  private MatmulPeak() {}

  /**
   * Measures {@code n x n @ n x n} in float32.
   *
   * @param manager on the device to measure; temporaries live in a sub-manager
   * @param n the side, e.g. 2048
   * @param repeats timed products (the best counts), after two untimed ones
   * @return the measurement
   */
  public static Result measure(NDManager manager, int n, int repeats) {
    return measure(manager, n, repeats, DataType.FLOAT32);
  }

  /**
   * Measures {@code n x n @ n x n} with both operands (and so the product) in {@code type}.
   *
   * @param manager on the device to measure; temporaries live in a sub-manager
   * @param n the side, e.g. 2048
   * @param repeats timed products (the best counts), after two untimed ones
   * @param type {@link DataType#FLOAT32} or {@link DataType#FLOAT16}
   * @return the measurement
   * @throws IllegalArgumentException for another type
   * @throws ai.djl.engine.EngineException when the engine has no such product on this device
   */
  public static Result measure(NDManager manager, int n, int repeats, DataType type) {
    if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
      throw new IllegalArgumentException("the matmul peak is measured in float32 or float16");
    }
    try (NDManager scratch = manager.newSubManager()) {
      Shape shape = new Shape(n, n);
      // drawn in float32 and cast: the engine draws uniform numbers in float32 on every device
      NDArray a = scratch.randomUniform(-1f, 1f, shape, DataType.FLOAT32).toType(type, false);
      NDArray b = scratch.randomUniform(-1f, 1f, shape, DataType.FLOAT32).toType(type, false);
      for (int i = 0; i < 2; i++) {
        finish(a.matMul(b));
      }
      double best = Double.MAX_VALUE;
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        finish(a.matMul(b));
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      double flops = 2.0 * n * n * (double) n;
      return new Result(n, flops / best, best, repeats, List.of(flops / best));
    }
  }

  /** Waits for the product (a GPU queues it) and frees it. */
  private static void finish(NDArray product) {
    if (product.getDevice().isGpu()) {
      product.get(0, 0).toArray();
    }
    product.close();
  }

  /**
   * A measured peak.
   *
   * @param size the matrix side
   * @param flopsPerSecond {@code 2 n^3} over the best time
   * @param bestSeconds the best time of one product
   * @param repeats how many products were timed
   * @param rounds the peak of each measuring round, in order (one for {@link #measure})
   */
  public record Result(
      int size, double flopsPerSecond, double bestSeconds, int repeats, List<Double> rounds) {

    /**
     * This measurement and a later one of the same size as one: the higher peak counts, so that a
     * round slowed by a busy machine cannot flatter a utilisation divided by it.
     */
    public Result and(Result later) {
      List<Double> all = new ArrayList<>(rounds);
      all.addAll(later.rounds);
      return new Result(
          size,
          Math.max(flopsPerSecond, later.flopsPerSecond),
          Math.min(bestSeconds, later.bestSeconds),
          repeats + later.repeats,
          List.copyOf(all));
    }
  }
}
