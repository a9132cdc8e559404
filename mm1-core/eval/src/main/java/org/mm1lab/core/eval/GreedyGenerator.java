package org.mm1lab.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.mm1lab.api.Decoder;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.api.KeyValueCache;
import org.mm1lab.core.run.EngineThreads;

/**
 * Generation with a key/value cache, over any {@link Decoder}: one decode call over the prompt,
 * then one call per new token. Greedy (argmax) unless a {@link Sampling} says to draw the tokens;
 * the evaluation is always greedy, {@code mm1 ask} and {@code mm1 caption} may sample.
 *
 * <p>Prompts may be padded on the left or on the right: the first new token is read from each row's
 * last real position, and later tokens are appended after the whole prompt with mask 1. Left
 * padding is exact for every decoder that honours the attention mask; right padding is exact only
 * for a decoder whose positions count real tokens (not cache slots), so the evaluation harness
 * always pads on the left.
 *
 * <p>One row. A one-row decode step moves a single position through every operation, so its time is
 * the memory traffic of the weights and the dispatch of some four hundred small operations, not
 * arithmetic: a second intra-op thread reads no faster and costs a fork and join per product. A
 * one-row generation therefore decodes its tokens after the prompt with {@link
 * #DEFAULT_SINGLE_ROW_THREADS} thread ({@link #withSingleRowThreads}), restoring the engine's count
 * when it returns; it checks for end tokens on the host, with one read of the chosen id, instead of
 * with half a dozen array operations per token.
 */
public final class GreedyGenerator {

  /**
   * Intra-op threads of a one-row generation's decode steps. One: measured on 2 cores, the step of
   * the benchmark's decoder took 7.73 ms with one thread and 8.00 ms with two on an idle machine,
   * and about a third as long with one as with two beside a busy neighbour.
   */
  public static final int DEFAULT_SINGLE_ROW_THREADS = 1;

  /** Position {@code -1} of {@code (B, L, V)} logits, parsed once rather than per token. */
  private static final NDIndex LAST_POSITION = new NDIndex(":, -1, :");

  private final Decoder decoder;
  private final ParameterStore parameterStore;
  private final Sampling sampling;
  private final int singleRowThreads;

  /**
   * Greedy generation.
   *
   * @param decoder the model, initialised
   * @param parameterStore where its parameters live
   */
  public GreedyGenerator(Decoder decoder, ParameterStore parameterStore) {
    this(decoder, parameterStore, Sampling.GREEDY);
  }

  /**
   * @param decoder the model, initialised
   * @param parameterStore where its parameters live
   * @param sampling how each token is chosen; a sampled generation starts its random stream afresh
   *     from the seed on every {@link #generate} call
   */
  public GreedyGenerator(Decoder decoder, ParameterStore parameterStore, Sampling sampling) {
    this(decoder, parameterStore, sampling, DEFAULT_SINGLE_ROW_THREADS);
  }

  private GreedyGenerator(
      Decoder decoder, ParameterStore parameterStore, Sampling sampling, int singleRowThreads) {
    if (singleRowThreads < 0) {
      throw new IllegalArgumentException(
          "singleRowThreads must be 0 or more, got " + singleRowThreads);
    }
    this.decoder = decoder;
    this.parameterStore = parameterStore;
    this.sampling = sampling;
    this.singleRowThreads = singleRowThreads;
  }

  /**
   * This generator with one-row generations decoding their tokens after the prompt with {@code
   * threads} intra-op threads (fewer than the engine's only: never more), the engine's count
   * restored when each generation returns. The count is the engine's, process-wide: do not run
   * other engine work beside a one-row generation.
   *
   * @param threads at least 1, or 0 to keep the engine's own count
   */
  public GreedyGenerator withSingleRowThreads(int threads) {
    return new GreedyGenerator(decoder, parameterStore, sampling, threads);
  }

  /**
   * Generates up to {@code maxNewTokens} tokens per row.
   *
   * @param prompt {@code (B, L)} tokens and mask (each row with at least one real token), with
   *     optional image slots and tokens
   * @param maxNewTokens how many tokens to generate at most
   * @param endTokens the ids that end a row (the one met is emitted, then repeated for that row);
   *     negative ids are ignored, so {@code -1} or none means that rows never end early
   * @return {@code (B, N)} int64 generated ids, {@code N <= maxNewTokens} ({@code N} is smaller
   *     only when every row has ended), owned by the prompt tokens' manager
   */
  public NDArray generate(DecoderInput prompt, int maxNewTokens, long... endTokens) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
    }
    long[] ends = Arrays.stream(endTokens).filter(t -> t >= 0).distinct().toArray();
    TokenSampler sampler = new TokenSampler(sampling);
    NDManager caller = prompt.tokens().getManager();
    long batch = prompt.tokens().getShape().get(0);
    try (NDManager scope = caller.newSubManager();
        KeyValueCache cache = decoder.newCache(scope, Math.toIntExact(batch))) {
      // copies in the scope, so that every temporary of generation is freed with it
      DecoderInput local =
          new DecoderInput(
              copy(prompt.tokens(), scope),
              copy(prompt.attentionMask(), scope),
              copy(prompt.imageSlots(), scope),
              copy(prompt.imageTokens(), scope));
      // the prompt's logits only where each row's next token comes from: the head over every
      // prompt position (image slots included) is the largest product of the pass
      NDArray last = lastRealPosition(local.attentionMask());
      long length = local.tokens().getShape().get(1);
      NDArray rowStarts =
          scope.arange(0, Math.toIntExact(batch * length), Math.toIntExact(length), DataType.INT64);
      NDArray logits =
          decoder
              .decode(parameterStore, local.withLogitPositions(rowStarts.add(last)), cache, false)
              .logits();
      NDArray next = sampler.next(logits.getShape().dimension() == 2 ? logits : row(logits, last));
      NDList generated =
          batch == 1
              ? decodeOneRow(next, maxNewTokens, ends, sampler, cache, scope)
              : decodeRows(next, maxNewTokens, ends, sampler, cache, scope);
      NDArray result = NDArrays.concat(generated, 1);
      result.attach(caller);
      return result;
    }
  }

  /**
   * The tokens after the first of a batch of rows, the end-of-row bookkeeping on the engine.
   *
   * @param first {@code (B)} the first token of each row, from the prompt pass
   * @return the {@code (B, 1)} columns generated, the first included
   */
  private NDList decodeRows(
      NDArray first,
      int maxNewTokens,
      long[] ends,
      TokenSampler sampler,
      KeyValueCache cache,
      NDManager scope) {
    long batch = first.getShape().get(0);
    NDArray next = first;
    NDArray ones = scope.ones(new Shape(batch, 1), DataType.INT64);
    NDArray finished = scope.zeros(new Shape(batch), DataType.BOOLEAN);
    // the end token each finished row met, repeated for it from then on
    NDArray endedWith = scope.zeros(new Shape(batch), DataType.INT64);
    NDList generated = new NDList();
    for (int step = 0; step < maxNewTokens; step++) {
      if (ends.length > 0) {
        next = NDArrays.where(finished, endedWith, next);
        NDArray isEnd = next.eq(ends[0]);
        for (int i = 1; i < ends.length; i++) {
          isEnd = isEnd.logicalOr(next.eq(ends[i]));
        }
        endedWith = NDArrays.where(finished, endedWith, next);
        finished = finished.logicalOr(isEnd);
      }
      NDArray column = next.reshape(batch, 1);
      generated.add(column);
      if (step == maxNewTokens - 1 || (ends.length > 0 && finished.all().getBoolean())) {
        break;
      }
      next = step(column, ones, sampler, cache, scope);
    }
    return generated;
  }

  /**
   * The tokens after the first of one row: the row ends, and with it the generation, at the first
   * end token, checked on the host; the decode steps run with {@link #singleRowThreads} threads.
   *
   * @param first {@code (1)} the first token, from the prompt pass
   * @return the {@code (1, 1)} columns generated, the first included
   */
  private NDList decodeOneRow(
      NDArray first,
      int maxNewTokens,
      long[] ends,
      TokenSampler sampler,
      KeyValueCache cache,
      NDManager scope) {
    int engineThreads = singleRowThreads > 0 ? EngineThreads.current() : -1;
    boolean fewer = engineThreads > singleRowThreads;
    if (fewer) {
      EngineThreads.set(singleRowThreads);
    }
    try {
      NDArray next = first;
      NDArray ones = scope.ones(new Shape(1, 1), DataType.INT64);
      NDList generated = new NDList();
      for (int step = 0; step < maxNewTokens; step++) {
        NDArray column = next.reshape(1, 1);
        generated.add(column);
        if (step == maxNewTokens - 1 || (ends.length > 0 && isEnd(column, ends))) {
          break;
        }
        next = step(column, ones, sampler, cache, scope);
      }
      return generated;
    } finally {
      if (fewer) {
        EngineThreads.set(engineThreads);
      }
    }
  }

  /** Whether the one id of {@code column} is among {@code ends}. */
  private static boolean isEnd(NDArray column, long[] ends) {
    // toLongArray: one copy; getLong goes through an indexing call first
    long id = column.toLongArray()[0];
    for (long end : ends) {
      if (id == end) {
        return true;
      }
    }
    return false;
  }

  /**
   * One decode step: {@code column (B, 1)} through the decoder, the next token of each row chosen.
   *
   * @return {@code (B)} int64, owned by {@code scope}
   */
  private NDArray step(
      NDArray column, NDArray ones, TokenSampler sampler, KeyValueCache cache, NDManager scope) {
    // Each token's temporaries are freed with the token (the cache keeps its own arrays): held
    // to the end, every token's arrays stayed alive and the manager's map grew and resized again
    // and again, a fifth of the Java time of batch-1 generation.
    try (NDScope tokenArrays = new NDScope()) {
      NDArray logits =
          decoder.decode(parameterStore, DecoderInput.text(column, ones), cache, false).logits();
      NDArray next = sampler.next(row(logits, null));
      // kept past the token: owned by this generation (a decoder's outputs may belong to any
      // manager, even its parameters')
      next.attach(scope);
      NDScope.unregister(next);
      return next;
    }
  }

  private static NDArray copy(NDArray array, NDManager scope) {
    if (array == null) {
      return null;
    }
    NDArray copied = array.duplicate();
    copied.attach(scope);
    return copied;
  }

  /** The logits {@code (B, V)} at each row's {@code position}, or at the last one if null. */
  private static NDArray row(NDArray logits, NDArray position) {
    Shape shape = logits.getShape();
    if (position == null) {
      // a decode step's one position: a view, cheaper than an indexing call
      return shape.get(1) == 1
          ? logits.reshape(shape.get(0), shape.get(2))
          : logits.get(LAST_POSITION);
    }
    NDArray index = position.reshape(shape.get(0), 1, 1).broadcast(shape.get(0), 1, shape.get(2));
    return logits.gather(index, 1).squeeze(1);
  }

  /** The largest index of a real token in each row of {@code mask (B, L)}: {@code (B)} int64. */
  private static NDArray lastRealPosition(NDArray mask) {
    long length = mask.getShape().get(1);
    NDArray index =
        mask.getManager().arange(0f, (float) length, 1f, DataType.FLOAT32, mask.getDevice());
    return mask.toType(DataType.FLOAT32, false)
        .gt(0)
        .toType(DataType.FLOAT32, false)
        .mul(index.add(1))
        .argMax(1)
        .toType(DataType.INT64, false);
  }
}
