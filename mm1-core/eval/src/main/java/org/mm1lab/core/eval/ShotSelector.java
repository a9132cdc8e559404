package org.mm1lab.core.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.EvalItem;

/**
 * Chooses the in-context examples of each query from a task's shots split, deterministically: a
 * seeded shuffle of the pool per query, of which the first {@code k} are the query's examples.
 *
 * <p>Why per query and not one fixed set for all: a single set of {@code k} examples biases every
 * item the same way (an unlucky set of four captions that all mention stars skews the whole score),
 * while a per-query draw averages that out over the items, as OpenFlamingo's evaluation draws (see
 * docs/evaluation.md). Why seeded by the query's id: the same item gets the same examples in every
 * run and for every model, so scores compare; and since {@code k} takes a prefix of one shuffle,
 * the 4 examples of a query are among its 8, so a change between 4 and 8 shots is the effect of the
 * extra examples.
 */
public final class ShotSelector {

  private final long seed;
  private final String task;
  private final List<EvalItem> pool;

  /**
   * @param seed the evaluation seed ({@code mm1.eval.seed})
   * @param task the task, for messages and so that tasks draw independently
   * @param pool the in-context examples to choose from (the shots split's first items)
   */
  public ShotSelector(long seed, String task, List<EvalItem> pool) {
    this.seed = seed;
    this.task = task;
    this.pool = List.copyOf(pool);
  }

  /** The size of the pool. */
  public int poolSize() {
    return pool.size();
  }

  /**
   * The {@code k} examples of a query, in prompt order.
   *
   * @param queryId the query's stable id
   * @param k how many
   * @throws UserException when the pool holds fewer than {@code k} examples
   */
  public List<EvalItem> select(String queryId, int k) {
    if (k == 0) {
      return List.of();
    }
    if (k > pool.size()) {
      throw new UserException(
          "task "
              + task
              + ": "
              + k
              + " shots need "
              + k
              + " in-context examples, but its shots"
              + " split has only "
              + pool.size()
              + "; lower mm1.eval.shots or add examples");
    }
    SplittableRandom random = new SplittableRandom(mix(seed, task + "\n" + queryId));
    int[] order = new int[pool.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // partial Fisher-Yates: position i takes a random one of the positions not yet taken
    List<EvalItem> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(order.length - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
      out.add(pool.get(order[i]));
    }
    return out;
  }

  /** A 64-bit hash of the seed and a text (FNV-1a, then mixed), the same on every JVM. */
  static long mix(long seed, String text) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
