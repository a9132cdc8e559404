package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mm1lab.api.DecoderInput;
import org.mm1lab.core.run.EngineThreads;

/** The one-row path of {@link GreedyGenerator}: host-side end tokens and its decode threads. */
class GreedyGeneratorTest {

  private static final int VOCABULARY = 40;

  private NDManager manager;
  private CausalMeanDecoder decoder;
  private ParameterStore store;
  private int engineThreads;

  @BeforeEach
  void setUp() {
    engineThreads = EngineThreads.current();
    Engine.getInstance().setRandomSeed(5);
    manager = NDManager.newBaseManager();
    decoder = new CausalMeanDecoder(8, VOCABULARY);
    decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    EngineThreads.set(engineThreads);
    manager.close();
  }

  private long[] generate(GreedyGenerator generator, long[][] rows, int n, long... ends) {
    NDArray tokens = manager.create(rows);
    return generator.generate(DecoderInput.text(tokens, tokens.onesLike()), n, ends).toLongArray();
  }

  @Test
  void oneRowStopsAtItsFirstEndTokenAsTheSameRowDoesInABatch() {
    GreedyGenerator generator = new GreedyGenerator(decoder, store);
    long[] row = {3, 14, 15, 9};
    long[] free = generate(generator, new long[][] {row}, 12);
    // an end token first met after the first token (ids seen earlier would end it sooner)
    int at = 1;
    while (at < free.length && contains(Arrays.copyOf(free, at), free[at])) {
      at++;
    }
    assertTrue(at < free.length, "the free run repeats one id: " + Arrays.toString(free));
    long end = free[at];
    long[] alone = generate(generator, new long[][] {row}, 12, end, -1, VOCABULARY + 5L);
    assertArrayEquals(Arrays.copyOf(free, at + 1), alone, "emits the end token, then stops");
    // the same row beside another, whose end bookkeeping runs on the engine
    long[] batch = generate(generator, new long[][] {row, {7, 7, 2, 30}}, 12, end);
    int columns = batch.length / 2;
    assertArrayEquals(alone, Arrays.copyOf(batch, at + 1));
    for (int c = at + 1; c < columns; c++) {
      assertEquals(end, batch[c], "an ended row of a batch repeats its end token");
    }
  }

  @Test
  void oneRowDecodesAfterThePromptWithOneThreadAndRestoresTheEngineCount() {
    EngineThreads.set(2);
    List<Integer> seen = new ArrayList<>();
    decoder.beforeDecode(() -> seen.add(EngineThreads.current()));
    generate(new GreedyGenerator(decoder, store), new long[][] {{1, 2, 3, 4}}, 5);
    assertEquals(List.of(2, 1, 1, 1, 1), seen, "the prompt pass, then four steps");
    assertEquals(2, EngineThreads.current());

    seen.clear();
    generate(new GreedyGenerator(decoder, store).withSingleRowThreads(0), new long[][] {{1, 2}}, 3);
    assertEquals(List.of(2, 2, 2), seen, "0 keeps the engine's count");

    seen.clear();
    generate(new GreedyGenerator(decoder, store), new long[][] {{1, 2}, {3, 4}}, 3);
    assertEquals(List.of(2, 2, 2), seen, "a batch keeps the engine's count");
  }

  @Test
  void aFailingStepStillRestoresTheEngineCount() {
    EngineThreads.set(2);
    AtomicInteger calls = new AtomicInteger();
    decoder.beforeDecode(
        () -> {
          if (calls.incrementAndGet() == 3) {
            throw new IllegalStateException("decode failed");
          }
        });
    GreedyGenerator generator = new GreedyGenerator(decoder, store);
    assertThrows(
        IllegalStateException.class, () -> generate(generator, new long[][] {{1, 2, 3}}, 5));
    assertEquals(2, EngineThreads.current());
  }

  @Test
  void aNegativeThreadCountIsRefused() {
    GreedyGenerator generator = new GreedyGenerator(decoder, store);
    assertThrows(IllegalArgumentException.class, () -> generator.withSingleRowThreads(-1));
  }

  private static boolean contains(long[] values, long value) {
    return Arrays.stream(values).anyMatch(v -> v == value);
  }
}
